// Unit tests for the URL helpers shared by Link, navigate and the router (no browser needed).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hrefFor, isMountRelative, isUnderBase, pageDataUrl, stripBase } from "../../src/client/paths.js";

describe("client paths", () => {
  it("builds Gatsby-style page-data URLs with the mount path and the query", () => {
    assert.equal(pageDataUrl("", "/"), "/page-data/index/page-data.json");
    assert.equal(pageDataUrl("", "/blog/1"), "/page-data/blog/1/page-data.json");
    assert.equal(pageDataUrl("", "/blog/1/", "?x=y"), "/page-data/blog/1/page-data.json?x=y");
    assert.equal(pageDataUrl("/shop", "/", "?q=a%20b"), "/shop/page-data/index/page-data.json?q=a%20b");
    assert.equal(pageDataUrl("/shop", "/p/caf%C3%A9"), "/shop/page-data/p/caf%C3%A9/page-data.json");
  });

  it("prefixes only mount-relative hrefs", () => {
    assert.equal(hrefFor("/shop", "/about?x=1#top"), "/shop/about?x=1#top");
    assert.equal(hrefFor("/shop", "/"), "/shop/");
    assert.equal(hrefFor("", "/about"), "/about");
    assert.equal(hrefFor("/shop", "https://example.com/"), "https://example.com/");
    assert.equal(hrefFor("/shop", "//cdn.example.com/x"), "//cdn.example.com/x");
    assert.equal(hrefFor("/shop", "?page=2"), "?page=2");
    assert.equal(isMountRelative("//host"), false);
  });

  it("knows what lies inside the mount", () => {
    assert.equal(isUnderBase("/shop", "/shop"), true);
    assert.equal(isUnderBase("/shop/a", "/shop"), true);
    assert.equal(isUnderBase("/shopping", "/shop"), false);
    assert.equal(isUnderBase("/anything", ""), true);
    assert.equal(stripBase("/shop", "/shop"), "/");
    assert.equal(stripBase("/shop/a/b", "/shop"), "/a/b");
    assert.equal(stripBase("/a", ""), "/a");
  });
});
