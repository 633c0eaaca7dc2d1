// Table cells of both panels: a link with a second line, monospace text, and a muted dash for "none".
import { h, type VNode } from 'vue';
import { type RouteLocationRaw, RouterLink } from 'vue-router';
import './cells.css';

/** A link to a detail page; `sub` is a second, smaller line (an email, an alias). */
export function linkCell(to: RouteLocationRaw, main: string, sub?: string | null, subMono = false): VNode {
  return h(RouterLink, { to, class: 'cell-link' }, () => [
    h('span', { class: 'cell-link__main' }, main),
    sub ? h('span', { class: ['cell-sub', subMono && 'mono'] }, sub) : null,
  ]);
}

export function monoCell(text: string): VNode {
  return h('span', { class: 'mono' }, text);
}

/** Text with a smaller second line, not a link. */
export function twoLineCell(main: string, sub?: string | null): VNode {
  return h('span', { class: 'cell-link' }, [h('span', null, main), sub ? h('span', { class: 'cell-sub' }, sub) : null]);
}

export function noneCell(text = '—'): VNode {
  return h('span', { class: 'cell-muted' }, text);
}
