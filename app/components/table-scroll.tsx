import type { ReactNode } from "react";

/**
 * A table that may be wider than a phone's screen scrolls sideways in its own box, so the page never does.
 * The box is a named region that takes focus, so a keyboard can scroll it too; `labelledBy` is the id of
 * the heading or caption that names the table.
 */
export function TableScroll(props: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={props.labelledBy} tabIndex={0}>
      {props.children}
    </div>
  );
}
