import { useLayoutEffect, type RefObject } from 'react';

/**
 * Keeps `--redeem-top` on the element at its distance from the top of the page
 * (the top bar, which can wrap to two rows, and any banner above it), so the
 * Redeem screen's CSS can make it exactly as tall as what is left of the window
 * and the verdict never needs scrolling to.
 */
export function useFitToWindow(ref: RefObject<HTMLElement | null>, active: boolean): void {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      if (el.offsetParent === null) return; // hidden: another screen is showing
      const top = Math.round(el.getBoundingClientRect().top + window.scrollY);
      el.style.setProperty('--redeem-top', `${top}px`);
    };
    measure();
    const seen = new ResizeObserver(measure);
    seen.observe(document.body);
    const bar = document.querySelector('.topbar');
    if (bar) seen.observe(bar);
    window.addEventListener('resize', measure);
    return () => {
      seen.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref, active]);
}
