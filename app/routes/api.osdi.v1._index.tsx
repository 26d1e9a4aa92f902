import type { LoaderFunctionArgs } from "@remix-run/node";
import { entryPoint } from "~/services/osdi.server";

/** /api/osdi/v1: the OSDI API Entry Point. It holds no data, so it answers without a token. */
export function loader({ context }: LoaderFunctionArgs) {
  return entryPoint(context);
}
