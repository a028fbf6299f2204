/**
 * Tag colours with white text at WCAG AA contrast (≥ 4.5:1). Ant Design's preset tag colours (light
 * background, coloured text) fall short for orange, gold and green, so every tag uses these.
 */
export const TONE = {
  green: '#237804',
  amber: '#874d00',
  red: '#a8071a',
  blue: '#0958d9',
  orange: '#ad4e00',
  grey: '#595959',
} as const;

export type Tone = keyof typeof TONE;

/** An assessment grade's colour (优秀 / 良好 / 合格 / 不合格). */
export const GRADE_TONE: Record<string, string> = {
  优秀: TONE.green,
  良好: TONE.blue,
  合格: TONE.grey,
  不合格: TONE.red,
};

/** Statistic values: the same colours as text on white. */
export const TEXT_TONE = { red: '#a8071a', amber: '#874d00', green: '#237804' } as const;
