import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [
  { title: "Benchmark floor | Undersigned" },
  { name: "robots", content: "noindex" },
];

/**
 * The framework's floor for `npm run bench`: a page with no data access, so
 * that the cost of Express, Remix and React alone can be measured. It exists
 * only when the server was started with BENCH_ROUTES=1.
 */
export function loader({ context }: LoaderFunctionArgs) {
  if (!context.config.benchRoutes) throw new Response("Not found", { status: 404 });
  return null;
}

export default function BenchFloor() {
  return (
    <section className="notice-page">
      <h1>Benchmark floor</h1>
      <p>This page reads nothing from the database.</p>
    </section>
  );
}
