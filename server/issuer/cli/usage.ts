/** The issuer tool's help text, shown by `help` and on every command's --help. */
import { CLAIM_KINDS } from '../mint';
import { CONTENT_ENCS, KEY_MANAGEMENT_ALGS } from '../keys';
import { VOUCHER_FORMATS } from '../format';

export const USAGE = `Usage: npm run issuer -- <command> [options]

Commands:
  platform init --dir DIR [--iss gb.example] [--name "Example Group Buy"]
                [--alg EdDSA|ES256|RS256|PS256] [--kid K] [--force]
      Make a platform's signing key: DIR/platform.json (private, 0600) and
      DIR/platform.public.json.

  merchant create --platform DIR [--platform DIR2 ...] --dir DIR --id M1001 --name NAME
                [--branch B01 [--branch-name Nanshan]] [--enc X25519|P-256|RSA] [--kid K]
                [--signing | --sig-kid K] [--passphrase P] [--p2c N]
                [--server-url U [--device-id D] [--token T]] [--force]
      Make a merchant: DIR/merchant.json (private, 0600), DIR/bundle.jwe (sealed
      with the passphrase, or $ISSUER_BUNDLE_PASSPHRASE; without either a random
      one is written to DIR/bundle.passphrase), DIR/bundle.json (the bundle in the
      clear, development only) and PEM/JWK exports of every key in DIR/keys/.

  mint (--platform DIR | --as-merchant) --merchant DIR|bundle.json [--merchant-kid K]
                [--kind ${CLAIM_KINDS.join('|')}]
                [--qty N] [--val MINOR --cur CNY] [--use N] [--sku S] [--sub S]
                [--jti S] [--mid M] [--iss I] [--now T] [--iat T] [--nbf T] [--exp T]
                [--pin 1234] [--cmp ID] [--ref a,b,c] [--shr x|s] [--lvl N]
                [--claim name=JSON ...] [--omit name ...] [--format ${VOUCHER_FORMATS.join('|')}]
                [--alg ${KEY_MANAGEMENT_ALGS.join('|')}] [--enc ${CONTENT_ENCS.join('|')}]
                [--bare] [--no-typ] [--png FILE [--scale N]] [--count N]
      Print each voucher's text on its own line. --format: GBV2 (compact, the
      default: EdDSA or ES256 issuer keys, X25519 or P-256 merchant keys) or
      GBV1 (JOSE, any key; --alg, --enc and --no-typ are GBV1's). Times T: seconds since the
      epoch, +7d / +2h / +30m relative to now (write negative ones as
      --exp=-1d), or an ISO date. --claim sets any claim to a JSON value (text
      that is not JSON is taken as a string); --omit drops a claim. With
      --count, --jti S gives S-1, S-2 … and --png FILE gives FILE-1.png …

  qr TEXT|- --png FILE [--scale N]
      Render any text (or stdin with -) as a QR code PNG (alphanumeric mode when
      the text allows it, as a GBV2 voucher does; byte mode otherwise).
`;

export function help(): number {
  process.stdout.write(USAGE);
  return 0;
}
