/**
 * The console (web/, built by `npm run build:web` into web/dist) served at `/` as static files: the
 * department's network may have no internet, so nothing comes from a CDN. The console routes in the
 * URL's hash (`/#/cases/claim/CL…`), so the server only ever serves `/` and the hashed assets.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

/** web/dist beside this checkout's api/ folder. */
export const CONSOLE_DIST_DIR = path.resolve(__dirname, '..', 'web', 'dist');

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>motordesk</title></head>
<body><p>控制台尚未构建：请运行 <code>npm run build:web</code>（或 <code>npm run setup</code>）后刷新。</p>
<p>The console is not built yet: run <code>npm run build:web</code> (or <code>npm run setup</code>), then reload.</p></body></html>
`;

export function consoleRouter(dir: string = CONSOLE_DIST_DIR): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.locals.route = '/console';
    next();
  });
  // Asset names carry their content hash: cache them for good; index.html always revalidates.
  router.use('/assets', express.static(path.join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d' }));
  router.get(['/', '/index.html'], (_req, res) => {
    const index = path.join(dir, 'index.html');
    if (!fs.existsSync(index)) {
      res.status(404).type('html').send(NOT_BUILT);
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  router.use(express.static(dir, { index: false, maxAge: '1h' }));
  return router;
}
