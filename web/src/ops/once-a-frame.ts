/** Wraps `draw` so that calling it many times before the next frame draws once, at that frame. */
export function onceAFrame(draw: () => void): () => void {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      draw();
    });
  };
}
