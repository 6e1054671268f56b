// examples/styles/pages/styled.tsx
import styled from "styled-components";

const Title = styled.h1<{ $tone: string }>`
  color: ${(props) => props.$tone};
  font-size: 2rem;
`;

export async function getServerData() {
  return { props: { tone: "rgb(190, 24, 93)" } };
}

export default function StyledPage({ serverData }: { serverData: { tone: string } }) {
  return <Title $tone={serverData.tone}>styled-components</Title>;
}
