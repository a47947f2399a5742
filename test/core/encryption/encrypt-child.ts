/**
 * The process the crash test kills: encrypts the workstation at argv[2] in
 * place (main/core/db/workstation.ts encryptWorkstation). With
 * VOUCHERDESK_TEST_PAUSE_AT=<step> it stops at that step of the migration,
 * says so on stdout, and waits to be killed.
 */
import { writeSync } from 'node:fs';
import { encryptWorkstation } from '../../../main/core/db/workstation';

const [dataDir] = process.argv.slice(2);
const pauseAt = process.env.VOUCHERDESK_TEST_PAUSE_AT;
writeSync(1, 'start\n');
await encryptWorkstation(dataDir!, {
  passphrase: process.env.VOUCHERDESK_PASSPHRASE,
  hooks: {
    at: (step) => {
      writeSync(1, `at ${step}\n`);
      if (step === pauseAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until SIGKILL
    },
  },
});
writeSync(1, 'done\n');
