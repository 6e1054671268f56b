// examples/hello/server.ts
// An ES module ("type": "module" in package.json). Run it: node --import tsx examples/hello/server.ts
import path from "node:path";
import express from "express";
import { ssrMiddleware } from "ssr-pages/express";

const app = express();
const pages = ssrMiddleware(path.join(import.meta.dirname, "pages"));
app.use(pages);
app.use(pages.notFound); // optional: the 404 page for everything else
app.listen(Number(process.env.PORT ?? 3000));
