// Pauses the tests of issue 16 put into a send (never set in the app): beforeStore
// runs after the content is built, right before the send's transaction;
// inTransaction runs inside a new send's transaction, holding its connection.
import "server-only";

export const sendTestHooks: {
  beforeStore?: () => Promise<void>;
  inTransaction?: (mailboxId: string) => Promise<void>;
} = {};
