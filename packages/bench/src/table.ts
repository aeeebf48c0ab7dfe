/** Plain-text tables for the terminal: left-aligned text, right-aligned numbers. */

export type Align = 'left' | 'right';
export interface Column {
  title: string;
  align?: Align;
}

/** A number with a fixed count of decimals, thousands grouped; `–` when there is no figure. */
export function num(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Megabytes with one decimal. */
export const mb = (value: number | null | undefined): string => num(value, 1);

/** A share of one core as a percentage. */
export const pct = (share: number | null | undefined): string =>
  share === null || share === undefined || !Number.isFinite(share) ? '–' : `${Math.round(share * 100)}%`;

function pad(text: string, width: number, align: Align): string {
  const gap = ' '.repeat(Math.max(0, width - [...text].length));
  return align === 'right' ? gap + text : text + gap;
}

/** Renders columns and rows with a header rule; rows shorter than the header are padded with blanks. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) =>
    Math.max([...c.title].length, ...rows.map((r) => [...(r[i] ?? '')].length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => pad(cells[i] ?? '', widths[i] ?? 0, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.title)), rule, ...rows.map(line)].join('\n');
}
