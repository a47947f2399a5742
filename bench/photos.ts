/**
 * The decode benchmark's generated "photos" of a voucher QR: seeded, made
 * with ffmpeg filters on a busy background, one distortion strong and a little
 * rotation besides. The same seed gives the same distortion for any code, so
 * GBV1 and GBV2 are compared on equal photos: the code is scaled to the same
 * height in the frame (the same printed size), so GBV2's fewer modules are
 * each larger.
 */
import { spawnSync } from 'node:child_process';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The distortions the success rate is counted over (17 photos each in a full run: 102). */
export const CATEGORIES = ['rotation', 'blur', 'perspective', 'glare', 'low contrast', 'moire'] as const;
/**
 * Harder photos, counted apart: a phone in dark mode (the code inverted; the
 * caller passes the inverted PNG), a strongly compressed JPEG, a small symbol
 * (90–150 px tall), and a webcam-like photo (a 200 px symbol, blur, sensor
 * noise, JPEG).
 */
export const MORE_CATEGORIES = ['dark mode', 'jpeg', 'small', 'webcam 200 px'] as const;
export type Category = (typeof CATEGORIES)[number] | (typeof MORE_CATEGORIES)[number];

/** Fixed settings for the sweeps: a blur sigma (category 'blur') or a symbol height in pixels. */
export interface PhotoOverrides {
  sigma?: number;
  height?: number;
}

/**
 * One seeded photo of the code at 640×480, written to `out` (PNG, or JPEG for
 * the 'jpeg' and 'webcam 200 px' categories: `out` gets the extension).
 * Returns the file written.
 */
export function makePhoto(out: string, code: string, cat: Category, rnd: () => number, o: PhotoOverrides = {}): string {
  const W = 640;
  const H = 480;
  const r = (a: number, b: number) => a + (b - a) * rnd();
  const fill = r(0.6, 0.85);
  const h = o.height ?? (cat === 'small' ? Math.round(r(90, 150)) : cat === 'webcam 200 px' ? 200 : Math.round(H * fill));
  const angle = cat === 'rotation' ? r(-30, 30) : r(-6, 6);
  const a = ((angle * Math.PI) / 180).toFixed(5);
  const codeChain: string[] = [`[1:v]format=rgba,scale=-1:${h}:flags=area`];
  if (cat === 'perspective') {
    const d = () => Math.round(r(0, 0.16) * h);
    codeChain.push(`pad=iw+${Math.round(h * 0.2)}:ih+${Math.round(h * 0.2)}:(ow-iw)/2:(oh-ih)/2:color=white@1`);
    codeChain.push(`perspective=x0=${d()}:y0=${d()}:x1=W-${d()}:y1=${d()}:x2=${d()}:y2=H-${d()}:x3=W-${d()}:y3=H-${d()}:sense=destination`);
  }
  if (cat === 'low contrast') codeChain.push(`eq=contrast=${r(0.22, 0.45).toFixed(2)}:brightness=${r(-0.08, 0.12).toFixed(2)}`);
  codeChain.push(`rotate=${a}:c=none:ow=rotw(${a}):oh=roth(${a})[c]`);
  const post: string[] = [];
  if (cat === 'glare') {
    const gw = Math.round(r(0.25, 0.4) * h);
    const gh = Math.round(r(0.2, 0.35) * h);
    const gx = Math.round(W / 2 + r(-0.35, 0.05) * h);
    const gy = Math.round(H / 2 + r(-0.35, 0.05) * h);
    post.push(`drawbox=x=${gx}:y=${gy}:w=${gw}:h=${gh}:color=white@${r(0.55, 0.8).toFixed(2)}:t=fill`, `gblur=sigma=${r(0.8, 1.4).toFixed(2)}`);
  }
  if (cat === 'blur') post.push(`gblur=sigma=${(o.sigma ?? r(1.0, 2.4)).toFixed(2)}`);
  if (cat === 'moire') {
    const amp = r(0.12, 0.24).toFixed(3);
    const fx = r(0.9, 1.6).toFixed(3);
    const fy = r(0.1, 0.5).toFixed(3);
    post.push('format=gray', `geq=lum='lum(X,Y)*(1-${amp}+${amp}*sin(X*${fx}+Y*${fy}))'`, 'gblur=sigma=0.6');
  }
  if (cat === 'webcam 200 px') post.push(`gblur=sigma=${r(0.9, 1.4).toFixed(2)}`);
  if (cat === 'rotation' || cat === 'perspective' || cat === 'low contrast' || cat === 'dark mode' || cat === 'jpeg' || cat === 'small') post.push('gblur=sigma=0.5');
  post.push(`noise=alls=${cat === 'webcam 200 px' ? 14 : 8}:allf=u`, 'format=rgb24');
  const jpegQ = cat === 'jpeg' ? Math.round(r(18, 26)) : cat === 'webcam 200 px' ? Math.round(r(8, 14)) : null;
  const file = jpegQ === null ? out : out.replace(/\.png$/, '') + '.jpg';
  const seed = Math.floor(rnd() * 50);
  const bg = `testsrc2=s=${W}x${H}:r=1,trim=start_frame=${seed}:end_frame=${seed + 1},setpts=PTS-STARTPTS`;
  const graph = `${codeChain.join(',')};[0:v][c]overlay=(W-w)/2:(H-h)/2:format=auto,${post.join(',')}[out]`;
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', bg, '-i', code, '-filter_complex', graph, '-map', '[out]', '-frames:v', '1'];
  if (jpegQ !== null) args.push('-q:v', String(jpegQ), '-pix_fmt', 'yuvj420p');
  const res = spawnSync('ffmpeg', [...args, file], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`ffmpeg (${cat}): ${res.stderr}`);
  return file;
}
