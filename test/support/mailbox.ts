import type { StoredMessage } from '../../runtime/smtp-sink/message-store';
import { eventually } from './eventually';
import { testServers } from './test-env';

/** Reads the SMTP sink over HTTP, as a person's mail client would, until a match arrives. */
export async function waitForMail(
  match: (message: StoredMessage) => boolean,
  { timeoutMs = 20_000 }: { timeoutMs?: number } = {},
): Promise<StoredMessage> {
  return eventually(async () => (await listMail()).find(match), {
    description: 'a matching mail',
    timeoutMs,
    intervalMs: 200,
  });
}

export async function listMail(): Promise<StoredMessage[]> {
  const response = await fetch(`${testServers().mailUiUrl}/api/messages`);
  if (!response.ok) throw new Error(`mail sink answered ${response.status}`);
  return ((await response.json()) as { messages: StoredMessage[] }).messages;
}
