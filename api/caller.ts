/** Who is calling: resolved from an API key (systems and, for now, people) by the auth plugin. */
export interface Caller {
  userId: string;
  name: string;
  email: string;
  roles: string[];
  attributes: Record<string, unknown>;
}

export type Authenticate = (apiKey: string) => Promise<Caller | null>;
