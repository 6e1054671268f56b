// examples/styles/pages/emotion.tsx
import styled from "@emotion/styled";

const Title = styled.h1`
  color: rgb(29, 78, 216);
  font-size: 2rem;
`;

export default function EmotionPage() {
  return <Title>emotion</Title>;
}
