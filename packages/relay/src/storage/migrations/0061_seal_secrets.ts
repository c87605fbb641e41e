import type { Kysely, Migration } from 'kysely'
import type { Database } from '../schema.ts'
import type { SecretBox } from '../secret-box.ts'
import { openSealedSecrets, sealPlainSecrets } from '../sealed-secrets.ts'

// Webhook and listener secrets were stored in the clear until this migration: it seals every one
// under the master key (`secret-box.ts`); from here on the relay writes them only sealed. It needs
// the key, so it is made with it (see `migrations.ts`).
export function sealSecrets(secrets: SecretBox): Migration {
  return {
    up: async (db: Kysely<unknown>) => {
      await sealPlainSecrets(db as Kysely<Database>, secrets)
    },
    down: (db: Kysely<unknown>) => openSealedSecrets(db as Kysely<Database>, secrets),
  }
}
