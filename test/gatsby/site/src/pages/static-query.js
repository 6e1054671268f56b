import React from "react";
import { StaticQuery, graphql, useStaticQuery } from "gatsby";

function Title() {
  const data = useStaticQuery(graphql`query { site { siteMetadata { title } } }`);
  return <h1>{data.site.siteMetadata.title}</h1>;
}

export default function StaticQueryPage() {
  return (
    <div>
      <Title />
      <StaticQuery query={graphql`query { site { id } }`} render={(data) => <p>{data.site.id}</p>} />
    </div>
  );
}
