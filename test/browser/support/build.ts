/**
 * The console bundle the browser tests load: the one `npm run setup` (or `npm run build:web`) built,
 * rebuilt once here when a source file under web/ is newer than it (a developer's edit).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const WEB = path.resolve(__dirname, '..', '..', '..', 'web');
const INDEX = path.join(WEB, 'dist', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (!entry.name.endsWith('.d.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function ensureConsoleBuilt(): void {
  const built = fs.existsSync(INDEX) ? fs.statSync(INDEX).mtimeMs : 0;
  const sources = Math.max(
    newestSource(path.join(WEB, 'src')),
    ...['index.html', 'vite.config.ts', 'package.json'].map((f) => fs.statSync(path.join(WEB, f)).mtimeMs),
  );
  if (built >= sources) return;
  execFileSync('npm', ['run', 'build'], { cwd: WEB, stdio: 'inherit' });
}
