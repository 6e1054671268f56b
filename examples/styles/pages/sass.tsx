// examples/styles/pages/sass.tsx
import styles from "./card.module.scss";

export default function SassPage() {
  return (
    <section className={styles.card}>
      <h1>Sass</h1>
      <p>A CSS module in SCSS, with a partial from another folder.</p>
    </section>
  );
}
