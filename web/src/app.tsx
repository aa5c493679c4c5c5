export function App() {
  return (
    <main>
      <h1>Moat</h1>
    </main>
  );
}
