// examples/gatsby-site/src/pages/weather.js
import * as React from "react";
import Layout from "../components/layout";

export default function Weather({ serverData }) {
  return (
    <Layout>
      <h1>Weather at the trailhead</h1>
      <p>{serverData.forecast}</p>
    </Layout>
  );
}

export async function getServerData({ query }) {
  const place = typeof query.place === "string" ? query.place : "the ridge";
  return { props: { forecast: `Clear skies over ${place}.` }, headers: { "Cache-Control": "public, max-age=60" } };
}
