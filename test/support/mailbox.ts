import type { StoredMessage } from '../../runtime/smtp-sink/message-store';
import { testServers } from './test-env';

/** Reads the SMTP sink over HTTP, as a person's mail client would, until a match arrives. */
export async function waitForMail(
  match: (message: StoredMessage) => boolean,
  { timeoutMs = 20_000 }: { timeoutMs?: number } = {},
): Promise<StoredMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listMail()).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching mail arrived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function listMail(): Promise<StoredMessage[]> {
  const response = await fetch(`${testServers().mailUiUrl}/api/messages`);
  if (!response.ok) throw new Error(`mail sink answered ${response.status}`);
  return ((await response.json()) as { messages: StoredMessage[] }).messages;
}
