/** Opens one serial port with the app's reader and prints its first settled state as JSON (serial.test.ts runs this as another user). */
import { SerialScanner } from '../../main/core/scanners/serial';
import { DEFAULT_SCANNER_CONFIG } from '../../main/core/scanners/service';

const path = process.argv[2]!;
const quiet = { info() {}, warn() {}, error() {} };
const scanner = new SerialScanner({
  log: quiet,
  onCode: () => undefined,
  onState: (s) => {
    if (s.state === 'connecting') return;
    console.log(JSON.stringify(s));
    void scanner.stop().then(() => process.exit(0));
  },
});
scanner.configure({ ...DEFAULT_SCANNER_CONFIG.serial, enabled: true, path });
