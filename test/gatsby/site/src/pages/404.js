import React from "react";

export default function NotFoundPage({ location }) {
  return <h1 id="not-found">{`Gatsby 404: ${location.pathname}`}</h1>;
}
