'use client';

import { lazy, Suspense, useEffect, useRef, type ComponentType } from 'react';

/** What brings a part to life: the pointer reaching it, a touch, the keyboard focusing or typing in it, a change. */
const WAKE_EVENTS = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown', 'input', 'change'] as const;

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * A part of a page whose HTML the server renders (so it is on screen, readable and linkable at
 * once), and whose code loads — and React hydrates it — only when the admin first reaches it with
 * the pointer, a touch or the keyboard. Until then React keeps the server's HTML as it is.
 *
 * Nothing done in the moment before its code arrives is lost: what was typed, chosen or ticked is
 * made again through the controls' events once the handlers exist, so the form knows it was edited,
 * and a button clicked meanwhile is clicked again. A form inside must not be submittable by the
 * browser itself before then (the console's forms keep Save disabled until they are edited).
 */
export function hydrateOnUse<P extends object>(load: () => Promise<ComponentType<P>>) {
  let wake: () => void = () => {};
  const woken = new Promise<void>((resolve) => (wake = resolve));
  let root: HTMLElement | null = null;
  let pendingClick: HTMLButtonElement | undefined;
  let hydrated = false;
  let edits: Edit[] = [];
  // The controls changed before hydration, in the order they were changed (one field can follow another).
  const changed = new Set<EventTarget>();

  const Part = lazy(async () => {
    if (typeof window !== 'undefined') await woken;
    const component = await load();
    edits = root ? takeEdits(root, [...changed]) : [];
    changed.clear();
    return { default: component };
  });

  function Hydrated() {
    useEffect(() => {
      hydrated = true;
      replayEdits(edits);
      edits = [];
      const click = pendingClick;
      pendingClick = undefined;
      if (click?.isConnected && !click.disabled) {
        // As the admin's click did: focus (which what it opens gives back on closing), then click.
        click.focus();
        click.click();
      }
    }, []);
    return null;
  }

  return function HydrateOnUse(props: P & { now?: boolean }) {
    const ref = useRef<HTMLDivElement>(null);
    const { now, ...rest } = props;
    useEffect(() => {
      root = ref.current;
      // Nothing from the server to show (the page was reached by navigating in the console): load now.
      if (now || hydrated || !root?.firstElementChild) {
        wake();
        return;
      }
      // On the window, in the capture phase: React stops events aimed at HTML it has not hydrated yet.
      const inside = (e: Event) => e.target instanceof Node && !!root?.contains(e.target);
      const onWake = (e: Event) => {
        if (!inside(e) || hydrated) return;
        if ((e.type === 'input' || e.type === 'change') && e.target) {
          changed.delete(e.target);
          changed.add(e.target);
        }
        wake();
      };
      // A button clicked before its handler exists is clicked again once it does.
      const onClick = (e: Event) => {
        const button = e.target instanceof Element ? e.target.closest('button') : null;
        if (hydrated || !inside(e) || !button) return;
        pendingClick = button;
        wake();
      };
      for (const type of WAKE_EVENTS) window.addEventListener(type, onWake, { capture: true, passive: true });
      window.addEventListener('click', onClick, { capture: true, passive: true });
      return () => {
        for (const type of WAKE_EVENTS) window.removeEventListener(type, onWake, { capture: true });
        window.removeEventListener('click', onClick, { capture: true });
      };
    }, [now]);
    return (
      <div ref={ref}>
        <Suspense fallback={null}>
          <Part {...(rest as P)} />
          <Hydrated />
        </Suspense>
      </div>
    );
  };
}

type Edit = { el: Control; value: string; checked: boolean };

const isToggle = (el: Control): el is HTMLInputElement =>
  el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');

/**
 * Just before hydration: the controls the admin changed, each put back to the server's value, so
 * that React and react-hook-form start from the HTML they rendered (react-hook-form would otherwise
 * take the edit as its own starting point and never report the form as edited).
 */
function takeEdits(root: HTMLElement, order: EventTarget[]): Edit[] {
  const edits: Edit[] = [];
  for (const el of root.querySelectorAll<Control>('input, select, textarea')) {
    if (isToggle(el)) {
      if (el.checked === el.defaultChecked || (el.type === 'radio' && !el.checked)) continue;
      edits.push({ el, value: el.value, checked: el.checked });
      if (el.type === 'checkbox') el.checked = el.defaultChecked;
      continue;
    }
    const saved = el instanceof HTMLSelectElement ? savedOption(el) : el.defaultValue;
    if (saved === undefined || el.value === saved) continue;
    edits.push({ el, value: el.value, checked: false });
    el.value = saved;
  }
  // Made again in the order they were made (a control changed without an event, such as by autofill, first).
  edits.sort((a, b) => order.indexOf(a.el) - order.indexOf(b.el));
  // A radio group goes back to its saved choice once every checkbox and field has been read.
  for (const { el } of edits) {
    if (el.type !== 'radio' || !(el instanceof HTMLInputElement) || !el.form) continue;
    const group = [...el.form.querySelectorAll<HTMLInputElement>('input[type="radio"]')].filter((r) => r.name === el.name);
    const saved = group.find((r) => r.defaultChecked);
    if (saved) saved.checked = true;
    else el.checked = false;
  }
  return edits;
}

/** After hydration: the same changes made again through the events React listens to, as if typed. */
function replayEdits(edits: Edit[]) {
  for (const { el, value, checked } of edits) {
    if (!el.isConnected) continue;
    if (isToggle(el)) {
      if (el.checked !== checked) el.click();
      continue;
    }
    // The prototype's setter: React's own (on the element) would record the value as already known.
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')?.set?.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }
}

/** The option a select showed in the server's HTML: the one marked selected, else the first. */
const savedOption = (el: HTMLSelectElement) => ([...el.options].find((o) => o.defaultSelected) ?? el.options[0])?.value;
