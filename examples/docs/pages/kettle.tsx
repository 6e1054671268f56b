// examples/docs/pages/kettle.tsx
import "./product.css"; // a plain stylesheet
import styles from "./product.module.css"; // a CSS module: scoped class names

export default function Product() {
  return <h1 className={styles.title}>Kettle</h1>;
}
