import type CoreForm from '@rjsf/core';
import type { FormProps } from '@rjsf/core';
import Form from '@rjsf/antd';
import type { RJSFSchema, RJSFValidationError } from '@rjsf/utils';
import type { ComponentType, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { formValidator } from './form-validator';

export interface TaskFormProps {
  schema: Record<string, unknown>;
  formData: Record<string, unknown>;
  onChange: (data: Record<string, unknown>) => void;
  formRef: Ref<CoreForm>;
  disabled?: boolean;
}

// The antd theme's Form does not declare `ref` though it forwards it to @rjsf/core's class.
const ThemedForm = Form as ComponentType<FormProps & { ref?: Ref<CoreForm> }>;

/**
 * The task's form from its JSON Schema (field titles come localized from the API). Loaded only
 * with a task page: @rjsf/antd and ajv are most of a megabyte. Its own submit button is hidden:
 * the outcome buttons submit.
 */
export default function TaskForm({ schema, formData, onChange, formRef, disabled }: TaskFormProps) {
  const { t } = useTranslation();
  // ajv's messages are English; the common ones are said again in the UI language.
  const transformErrors = (errors: RJSFValidationError[]) =>
    errors.map((error) => {
      const key = `task.formErrors.${error.name ?? ''}`;
      const message = t(key, { ...(error.params as Record<string, unknown>), defaultValue: '' });
      return message ? { ...error, message } : error;
    });
  return (
    <ThemedForm
      ref={formRef}
      schema={schema as RJSFSchema}
      formData={formData}
      validator={formValidator}
      disabled={disabled}
      showErrorList={false}
      noHtml5Validate
      liveValidate="onBlur"
      transformErrors={transformErrors}
      uiSchema={{ 'ui:submitButtonOptions': { norender: true } }}
      onChange={(event) => onChange((event.formData ?? {}) as Record<string, unknown>)}
    />
  );
}
