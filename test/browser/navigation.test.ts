// End-to-end: hydration and client navigation in a real browser (Debian's Chromium via playwright-core)
// against an Express 5 app. Each test opens its own browser context and is bounded by a timeout.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { HOSTILE } from "./fixtures/hostile.js";
import { openPage, readMarker, setMarker, startHarness, text, visits, waitHydrated } from "./harness.js";
import type { Harness } from "./harness.js";

const T = { timeout: 15_000 };

async function heading(page: Page, name: string | RegExp): Promise<void> {
  await page.locator("h1", { hasText: typeof name === "string" ? new RegExp(`^${name}$`) : name }).waitFor();
}

describe("browser runtime", () => {
  let harness: Harness;

  // Compiling the fixture pages and starting Chromium take a few seconds; each test has its own bound.
  before(
    async () => {
      harness = await startHarness();
    },
    { timeout: 60_000 },
  );

  after(
    async () => {
      await harness?.close();
    },
    { timeout: 15_000 },
  );

  it("hydrates the server HTML: state updates after a click, no hydration error", T, async () => {
    const { page, response, problems, close } = await openPage(harness, "/");
    try {
      assert.equal(response?.status(), 200);
      assert.equal(await text(page, "h1"), "Home");
      await page.click("#inc");
      await page.click("#inc");
      await page.locator("#inc", { hasText: "count: 2" }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("Link fetches page-data JSON and renders fresh serverData without reloading the document", T, async () => {
    const { page, problems, requests, documents, close } = await openPage(harness, "/");
    try {
      await setMarker(page);
      const dataResponse = page.waitForResponse((r) => new URL(r.url()).pathname === "/page-data/about/page-data.json");
      await page.click("#to-about");
      const json = await dataResponse;
      assert.equal(json.status(), 200);
      assert.match(json.headers()["content-type"] ?? "", /^application\/json/);
      await heading(page, "About");
      assert.equal(new URL(page.url()).pathname, "/about");
      assert.match(await text(page, "#visits"), /^about visits: \d+$/);
      assert.equal(await readMarker(page), "same document", "the document was reloaded");
      assert.equal(documents.length, 1, `document requests: ${documents.join(", ")}`);
      assert.ok(requests.some((url) => url.endsWith("/page-data/about/page-data.json")));
      // The new page is live too.
      await page.click("#inc");
      await page.locator("#inc", { hasText: "count: 1" }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("re-runs getServerData on every navigation (A -> B -> A -> B)", T, async () => {
    const { page, problems, close } = await openPage(harness, "/");
    try {
      const home1 = await visits(page);
      await page.click("#to-about");
      await heading(page, "About");
      const about1 = await visits(page);
      await page.click("#to-home");
      await heading(page, "Home");
      const home2 = await visits(page);
      await page.click("#to-about");
      await heading(page, "About");
      const about2 = await visits(page);
      assert.ok(home2 > home1, `home visits ${home1} then ${home2}`);
      assert.ok(about2 > about1, `about visits ${about1} then ${about2}`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("sends the query string to getServerData on client navigation, from Link and navigate()", T, async () => {
    const { page, problems, requests, documents, close } = await openPage(harness, "/");
    try {
      await page.click("#to-search");
      await heading(page, "Search");
      assert.deepEqual(JSON.parse(await text(page, "#query")), { q: "hello world", tag: ["a", "b"] });
      assert.equal(await text(page, "#url"), "/search?q=hello%20world&tag=a&tag=b");
      assert.ok(requests.some((url) => url.endsWith("/page-data/search/page-data.json?q=hello%20world&tag=a&tag=b")));
      assert.equal(new URL(page.url()).search, "?q=hello%20world&tag=a&tag=b");

      await page.click("#navigate-call");
      await page.locator("#query", { hasText: "from navigate" }).waitFor();
      assert.deepEqual(JSON.parse(await text(page, "#query")), { q: "from navigate" });
      assert.equal(new URL(page.url()).search, "?q=from%20navigate");
      assert.equal(documents.length, 1);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("passes URL-decoded params of dynamic pages on client navigation", T, async () => {
    const { page, problems, requests, close } = await openPage(harness, "/");
    try {
      await page.click("#to-post");
      await heading(page, "Post café");
      assert.equal(await text(page, "#param"), "param: café");
      assert.equal(new URL(page.url()).pathname, "/posts/caf%C3%A9");
      assert.ok(requests.some((url) => url.endsWith("/page-data/posts/caf%C3%A9/page-data.json")));
      assert.equal(await page.title(), "Post café");
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("re-renders the right page on back and forward, without reloading", T, async () => {
    const { page, problems, documents, close } = await openPage(harness, "/");
    try {
      await setMarker(page);
      await page.click("#to-about");
      await heading(page, "About");
      await page.click("#to-search");
      await heading(page, "Search");

      await page.goBack({ waitUntil: "commit" });
      await heading(page, "About");
      assert.equal(new URL(page.url()).pathname, "/about");
      await page.goBack({ waitUntil: "commit" });
      await heading(page, "Home");
      assert.equal(new URL(page.url()).pathname, "/");
      assert.equal(await page.title(), "Home");
      await page.goForward({ waitUntil: "commit" });
      await heading(page, "About");
      await page.goForward({ waitUntil: "commit" });
      await heading(page, "Search");
      assert.deepEqual(JSON.parse(await text(page, "#query")), { q: "hello world", tag: ["a", "b"] });

      assert.equal(await readMarker(page), "same document");
      assert.equal(documents.length, 1, `document requests: ${documents.join(", ")}`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("follows a redirect from getServerData during client navigation to the target URL", T, async () => {
    const { page, problems, requests, documents, close } = await openPage(harness, "/");
    try {
      await setMarker(page);
      await page.click("#to-redirect");
      await heading(page, "About");
      assert.equal(await text(page, "#from"), "from: redirect");
      const url = new URL(page.url());
      assert.equal(url.pathname + url.search, "/about?from=redirect");
      assert.ok(requests.some((u) => u.endsWith("/page-data/redirect/page-data.json")));
      assert.equal(await readMarker(page), "same document");
      assert.equal(documents.length, 1);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("falls back to a full load when getServerData throws: the server's 500 page shows", T, async () => {
    const { page, close } = await openPage(harness, "/");
    try {
      await setMarker(page);
      const before = harness.errors.length;
      const documentResponse = page.waitForResponse((r) => r.request().resourceType() === "document");
      await page.click("#to-boom");
      const response = await documentResponse;
      assert.equal(new URL(response.url()).pathname, "/boom");
      assert.equal(response.status(), 500);
      await page.waitForURL((url) => url.pathname === "/boom");
      await page.locator("body", { hasText: "Internal Server Error" }).waitFor();
      assert.doesNotMatch(await page.content(), /getServerData failed on purpose/);
      assert.equal(await readMarker(page), undefined, "expected a full document load");
      const reported = harness.errors.slice(before);
      assert.ok(
        reported.some((e) => e.info.phase === "request" && /boom/.test(e.info.page ?? "")),
        `onError calls: ${JSON.stringify(reported.map((e) => e.info))}`,
      );
    } finally {
      await close();
    }
  });

  it("falls back to a full load for an unknown page, so the host app answers", T, async () => {
    const { page, close } = await openPage(harness, "/");
    try {
      await setMarker(page);
      const documentResponse = page.waitForResponse((r) => r.request().resourceType() === "document");
      await page.click("#to-missing");
      const response = await documentResponse;
      assert.equal(new URL(response.url()).pathname, "/no-such-page");
      assert.equal(response.status(), 404);
      await page.waitForURL((url) => url.pathname === "/no-such-page");
      await page.locator("body", { hasText: "Cannot GET /no-such-page" }).waitFor();
      assert.equal(await readMarker(page), undefined);
    } finally {
      await close();
    }
  });

  it("falls back to a full load when the data request gets HTML (a proxy error page)", T, async () => {
    const { page, documents, close } = await openPage(harness, "/");
    try {
      await page.route("**/page-data/about/page-data.json", (route) =>
        route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" }),
      );
      await setMarker(page);
      await page.click("#to-about");
      await heading(page, "About");
      await waitHydrated(page);
      assert.equal(new URL(page.url()).pathname, "/about");
      assert.equal(await readMarker(page), undefined);
      assert.equal(documents.length, 2);
    } finally {
      await close();
    }
  });

  it("drops a stale response when a newer navigation started", T, async () => {
    const { page, problems, close } = await openPage(harness, "/");
    try {
      const slowData = page.waitForRequest((r) => r.url().endsWith("/page-data/slow/page-data.json"));
      await page.click("#to-slow");
      const slowRequest = await slowData;
      const slowAborted = page.waitForEvent("requestfailed", (r) => r === slowRequest);
      await page.click("#to-about");
      // The superseded request is cancelled (the server's getServerData sees its signal abort).
      assert.match((await slowAborted).failure()?.errorText ?? "", /ABORTED/);
      await heading(page, "About");
      // Had the slow answer arrived (after 1.5 s), it must not have replaced the newer page.
      await page.waitForTimeout(1_600);
      assert.equal(await text(page, "h1"), "About");
      assert.equal(new URL(page.url()).pathname, "/about");
      assert.match(await page.title(), /^About/);
      assert.equal(await page.locator("#___ssr-pages[aria-busy]").count(), 0);
      assert.deepEqual(
        problems.filter((p) => !/ERR_ABORTED|aborted/i.test(p)),
        [],
      );
    } finally {
      await close();
    }
  });

  it("renders a page that answers 404 with data, client-side", T, async () => {
    const { page, problems, documents, close } = await openPage(harness, "/");
    try {
      const dataResponse = page.waitForResponse((r) => r.url().endsWith("/page-data/gone/page-data.json"));
      await page.click("#to-gone");
      assert.equal((await dataResponse).status(), 404);
      await heading(page, "Gone");
      assert.equal(await text(page, "#reason"), "this product was withdrawn");
      assert.equal(new URL(page.url()).pathname, "/gone");
      assert.equal(documents.length, 1);
      // Chromium logs every non-2xx fetch; nothing else may show up.
      assert.deepEqual(
        problems.filter((p) => !/status of 404/.test(p)),
        [],
      );
    } finally {
      await close();
    }
  });

  it("scrolls to the hash target, to the top on a new page, and back to where the user was", T, async () => {
    const { page, problems, close } = await openPage(harness, "/");
    try {
      await page.click("#to-long");
      await heading(page, "Long");
      assert.equal(new URL(page.url()).hash, "#bottom");
      const atBottom = await page.evaluate(() => scrollY);
      assert.ok(atBottom > 3000, `scrollY ${atBottom}`);
      const before = await page.evaluate(() => scrollY);
      await page.click("#long-to-about");
      await heading(page, "About");
      assert.equal(await page.evaluate(() => scrollY), 0, "a new page starts at the top");
      await page.goBack({ waitUntil: "commit" });
      await heading(page, "Long");
      const restored = await page.evaluate(() => scrollY);
      assert.ok(Math.abs(restored - before) < 5, `scroll ${before} before, ${restored} after back`);
      await page.goForward({ waitUntil: "commit" });
      await heading(page, "About");
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("leaves modified clicks to the browser (ctrl-click opens a new tab)", T, async () => {
    const { page, requests, close } = await openPage(harness, "/");
    try {
      const popup = page.context().waitForEvent("page");
      await page.click("#to-about", { modifiers: ["ControlOrMeta"] });
      const tab = await popup;
      try {
        await tab.waitForLoadState("domcontentloaded");
        assert.equal(new URL(tab.url()).pathname, "/about");
        assert.equal(await text(page, "h1"), "Home");
        assert.ok(!requests.some((u) => u.includes("/page-data/")), "a modified click must not fetch page data");
      } finally {
        await tab.close(); // the context outlives the test (harness.ts)
      }
    } finally {
      await close();
    }
  });

  it("reloads once (no loop) when a page throws while rendering after a client navigation", T, async () => {
    const { page, documents, close } = await openPage(harness, "/");
    try {
      await page.click("#to-client-throws");
      await page.waitForURL((url) => url.pathname === "/client-throws");
      await page.waitForTimeout(1_500);
      assert.deepEqual(
        documents.map((u) => new URL(u).pathname),
        ["/", "/client-throws"],
      );
    } finally {
      await close();
    }
  });

  it("works mounted under /shop: hrefs, data URLs, redirects and assets carry the mount path", T, async () => {
    const { page, problems, requests, documents, close } = await openPage(harness, "/shop/");
    try {
      assert.equal(await page.getAttribute("#to-about", "href"), "/shop/about");
      assert.equal(await page.getAttribute("#to-home", "href"), "/shop/");
      const entry = await page.getAttribute("script[type=module]", "src");
      assert.match(entry ?? "", /^\/shop\/_ssr-pages\//);
      await setMarker(page);

      await page.click("#to-about");
      await heading(page, "About");
      assert.equal(new URL(page.url()).pathname, "/shop/about");
      assert.ok(requests.some((u) => new URL(u).pathname === "/shop/page-data/about/page-data.json"));

      await page.click("#to-redirect");
      await page.locator("#from", { hasText: "from: redirect" }).waitFor();
      const url = new URL(page.url());
      assert.equal(url.pathname + url.search, "/shop/about?from=redirect");

      await page.click("#to-home");
      await heading(page, "Home");
      assert.equal(new URL(page.url()).pathname, "/shop/");
      assert.ok(requests.some((u) => new URL(u).pathname === "/shop/page-data/index/page-data.json"));

      await page.goBack({ waitUntil: "commit" });
      await page.locator("#from", { hasText: "from: redirect" }).waitFor();
      assert.equal(new URL(page.url()).pathname, "/shop/about");

      assert.ok(
        requests.every((u) => !/\/(page-data|_ssr-pages)\//.test(u) || new URL(u).pathname.startsWith("/shop/")),
        `requests outside /shop: ${requests.filter((u) => !new URL(u).pathname.startsWith("/shop/")).join(", ")}`,
      );
      assert.equal(await readMarker(page), "same document");
      assert.equal(documents.length, 1);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("keeps </script>, <!-- and U+2028 in serverData from breaking the page", T, async () => {
    const { page, problems, close } = await openPage(harness, "/script");
    try {
      assert.equal(await text(page, "#text"), HOSTILE);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned), undefined);
      await page.click("#inc");
      await page.locator("#inc", { hasText: "count: 1" }).waitFor();
      // And through client navigation (JSON, not HTML).
      await page.click("#to-home");
      await heading(page, "Home");
      await page.click("#to-script");
      await heading(page, "Script");
      assert.equal(await text(page, "#text"), HOSTILE);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned), undefined);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  it("updates the Head (title, meta) on navigation, between the server's markers", T, async () => {
    const { page, problems, close } = await openPage(harness, "/");
    try {
      assert.equal(await page.title(), "Home");
      const description = () => page.locator('head meta[name="description"]');
      assert.match((await description().getAttribute("content")) ?? "", /^home page, visit \d+$/);

      await page.click("#to-about");
      await heading(page, "About");
      const aboutVisits = await visits(page);
      assert.equal(await page.title(), `About (visit ${aboutVisits})`);
      assert.equal(await description().count(), 1);
      assert.equal(await description().getAttribute("content"), "about page");
      assert.equal(await page.locator("head title").count(), 1);

      await page.click("#to-search");
      await heading(page, "Search");
      assert.equal(await page.title(), "Search");
      assert.equal(await description().count(), 0, "the previous page's meta must go");

      // Everything the Head rendered sits between the markers.
      const between = await page.evaluate(() => {
        const nodes = [...document.head.childNodes];
        const start = nodes.findIndex(
          (n) => n.nodeType === Node.COMMENT_NODE && (n as Comment).data === "ssr-pages-head",
        );
        const end = nodes.findIndex(
          (n) => n.nodeType === Node.COMMENT_NODE && (n as Comment).data === "/ssr-pages-head",
        );
        return start >= 0 && end > start ? nodes.slice(start + 1, end).map((n) => n.nodeName) : null;
      });
      assert.deepEqual(between, ["TITLE"]);

      await page.goBack({ waitUntil: "commit" });
      await heading(page, "About");
      assert.match(await page.title(), /^About \(visit \d+\)$/);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
