// examples/styles/pages/index.tsx
export default function Home() {
  return (
    <section>
      <h1 className="text-3xl font-bold text-brand">Tailwind CSS</h1>
      <p className="mt-2 text-slate-600">Utilities from pages and the components they import.</p>
      <button type="button" className="button mt-4">
        @apply in global.css
      </button>
    </section>
  );
}
