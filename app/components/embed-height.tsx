import { useEffect } from "react";

/** The message the widget sends its host page, read by public/widget.js. */
export const HEIGHT_MESSAGE = "undersigned:height";

/**
 * Tells the page that frames the widget how tall the widget is, whenever that changes (an error shown, the
 * "check your email" answer), so the host's script can size the frame to fit. A height is no secret, so it
 * goes to whatever page frames it; the host's script only believes messages from this site's origin.
 */
export function useReportHeight() {
  useEffect(() => {
    if (window.parent === window) return;
    const report = () =>
      window.parent.postMessage(
        // The body's own height: the document's is never less than the frame's, so it would never shrink.
        { type: HEIGHT_MESSAGE, height: Math.ceil(document.body.getBoundingClientRect().height) },
        "*",
      );
    const observer = new ResizeObserver(report);
    observer.observe(document.body);
    report();
    return () => observer.disconnect();
  }, []);
}
