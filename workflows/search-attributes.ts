import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes that let operators find instances in the Temporal Web UI. */
export const TEMPLATE_KEY = defineSearchAttributeKey('TemplateKey', SearchAttributeType.KEYWORD);
export const TEMPLATE_VERSION = defineSearchAttributeKey('TemplateVersion', SearchAttributeType.INT);
export const BUSINESS_KEY = defineSearchAttributeKey('BusinessKey', SearchAttributeType.KEYWORD);
export const PROCESS_STATUS = defineSearchAttributeKey('ProcessStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [TEMPLATE_KEY, TEMPLATE_VERSION, BUSINESS_KEY, PROCESS_STATUS];
