// What the server does once the database is reachable: migrate, seed the demo tenants on
// first start, print the demo logins, start background jobs. Called by server/index.ts.
import { closeDb, db } from '~/.server/db/client';
import { migrate } from '~/.server/db/migrate';
import { getEnv } from '~/.server/env';
import { formatDemoLogins, seedDemoTenants } from '~/.server/seed';
import { startBackgroundJobs, stopBackgroundJobs } from '~/.server/jobs';
import { sweepInterruptedAnswers } from '~/.server/coach/answer-checkpoint';
import { prepareMetering } from '~/.server/metering/startup';
import { loadSafetyModel } from '~/.server/safety/classifier';
import '~/.server/culture/seed-packs';
import '~/.server/evaluation/seed-cases';
import { getMasterKey } from '~/.server/privacy/master-key';
import { encryptPlaintextRows } from '~/.server/privacy/reencrypt';
import '~/.server/privacy/key-rotation';

export async function onServerStart(log: (line: string) => void = console.log) {
  const env = getEnv();
  prepareMetering(log);
  // The input classifier's model is read here, not in the first chat turn of the process (issue 14).
  if (!loadSafetyModel()) log('[safety] no safety model artifact: the lexicon and rules answer alone');
  await migrate(db(), { log: (l) => log(`[db] ${l}`) });
  // A wrong or missing master key stops the start here (MasterKeyError), before any text is read or written.
  await getMasterKey(db());
  const encrypted = await encryptPlaintextRows();
  if (encrypted > 0) log(`[privacy] ${encrypted} stored text value(s) from before encryption at rest are now encrypted`);
  if (env.SEED_DEMO) {
    const result = await seedDemoTenants({ log: (l) => log(`[seed] ${l}`) });
    if (result.seeded) log(formatDemoLogins(result));
    else log('[seed] demo tenants already seeded; reset a password with `npx rapport users set-password`');
  }
  // Answers that were streaming when the server last stopped are kept, marked cut off.
  const interrupted = await sweepInterruptedAnswers({ all: process.env.RAPPORT_OWNS_EMBEDDED_DB === '1' });
  if (interrupted > 0) log(`[chat] ${interrupted} answer(s) were cut off when the server last stopped; marked interrupted`);
  startBackgroundJobs(log);
}

export async function onServerStop() {
  stopBackgroundJobs();
  await closeDb();
}
