import { Type } from 'typebox';
import { ApiKeyScopes } from '../../contracts/api-key-scopes';

/*
 * Sign-in, sessions and API keys as the API speaks them. Secrets (passwords, tokens, keys) are
 * only ever in requests and in the one response that issues them.
 */

const Iso = Type.String({ format: 'date-time' });
const NullableIso = Type.Union([Iso, Type.Null()]);
// U+0000 is refused: PostgreSQL cannot store it in text.
const NoNul = '^[^\\u0000]*$';

export const MIN_PASSWORD_LENGTH = 12;
const NewPassword = Type.String({
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: 1024,
  pattern: NoNul,
  description: `At least ${MIN_PASSWORD_LENGTH} characters.`,
});

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320, pattern: NoNul }),
    password: Type.String({ minLength: 1, maxLength: 1024, pattern: NoNul }),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Object(
  {
    refreshToken: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 400,
        pattern: NoNul,
        description: 'For scripts; the web app sends the refresh cookie instead.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AuthUser = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  roles: Type.Array(Type.String()),
  locale: Type.Union([Type.String(), Type.Null()]),
});

export const TokenResponse = Type.Object({
  accessToken: Type.String({ description: 'A JWT to send as `Authorization: Bearer …`; short-lived.' }),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds the access token is valid for.' }),
  refreshToken: Type.String({
    description: 'Swap it at POST /auth/refresh for a new pair; each is good once. Also set as an httpOnly cookie.',
  }),
  user: AuthUser,
});

export const Me = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('system')]),
  user: AuthUser,
  sessionId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  keyId: Type.Optional(Type.String()),
  scopes: Type.Optional(ApiKeyScopes),
});

export const Session = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  createdAt: Iso,
  expiresAt: Iso,
  lastUsedAt: NullableIso,
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: 'The session of this request.' }),
});

export const SessionList = Type.Object({ items: Type.Array(Session) });

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1024, pattern: NoNul }),
    newPassword: NewPassword,
  },
  { additionalProperties: false },
);

export const SetPasswordBody = Type.Object({ password: NewPassword }, { additionalProperties: false });

export const RevokedCount = Type.Object({ revoked: Type.Integer() });

export const CreateApiKeyBody = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 200, pattern: NoNul }),
    name: Type.String({ minLength: 1, maxLength: 200, pattern: NoNul }),
    scopes: ApiKeyScopes,
    expiresAt: Type.Optional(Iso),
  },
  { additionalProperties: false },
);

export const ApiKeyRecord = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the secret, to recognise it.' }),
  scopes: ApiKeyScopes,
  expiresAt: NullableIso,
  revokedAt: NullableIso,
  lastUsedAt: NullableIso,
  createdAt: Iso,
  createdBy: Type.Union([Type.String(), Type.Null()]),
});

export const CreatedApiKey = Type.Object({
  ...ApiKeyRecord.properties,
  secret: Type.String({
    description: 'Shown in this response only; send it as X-API-Key. Only its keyed hash is stored.',
  }),
});

export const ApiKeyList = Type.Object({ items: Type.Array(ApiKeyRecord) });
export const ApiKeyListQuery = Type.Object(
  { userId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
