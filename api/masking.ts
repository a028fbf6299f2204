/**
 * Personal data (PIPL) in responses. The decision, for every role: case responses and lists carry
 * masked values only (`138****1234`, `110101********1234`, `粤B***12`, `张*`); the full values
 * leave the API only through `POST /cases/{id}/reveal`, which names a reason and writes one
 * audit_log row per reveal. Notification recipients are always masked.
 */

/** `13812341234` → `138****1234`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** `110101199003071234` → `110101********1234` (region code and the last four kept). */
export function maskIdNumber(id: string): string {
  if (id.length <= 10) return `${id.slice(0, 2)}${'*'.repeat(Math.max(0, id.length - 2))}`;
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** `粤B12312` → `粤B***12`: province and city letter kept, then the last two characters. */
export function maskPlate(plate: string): string {
  const chars = [...plate];
  if (chars.length <= 4) return `${chars.slice(0, 1).join('')}${'*'.repeat(Math.max(0, chars.length - 1))}`;
  return `${chars.slice(0, 2).join('')}${'*'.repeat(chars.length - 4)}${chars.slice(-2).join('')}`;
}

/** `张三` → `张*`, `欧阳娜娜` → `欧***`, `Li Wei` → `L*****`. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

/** `6222021234567890123` → `************0123`. */
export function maskBankAccount(account: string): string {
  const digits = account.replace(/\s+/g, '');
  return `${'*'.repeat(Math.max(4, digits.length - 4))}${digits.slice(-4)}`;
}

/** `LSVAU2180N2183294` → `LSV**********3294` (the maker's code and the last four kept). */
export function maskVin(vin: string): string {
  if (vin.length <= 7) return '*'.repeat(vin.length);
  return `${vin.slice(0, 3)}${'*'.repeat(vin.length - 7)}${vin.slice(-4)}`;
}

/** `EA211-8827361` → `*********361`. */
export function maskEngineNo(engineNo: string): string {
  return `${'*'.repeat(Math.max(3, engineNo.length - 3))}${engineNo.slice(-3)}`;
}

/** `zhang.san@example.com` → `z***@example.com`. */
function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskName(email);
  return `${email[0]}***${email.slice(at)}`;
}

const MASKERS: Record<string, (value: string) => string> = {
  name: maskName,
  phone: maskPhone,
  mobile: maskPhone,
  plate: maskPlate,
  idNumber: maskIdNumber,
  bankAccount: maskBankAccount,
  vin: maskVin,
  engineNo: maskEngineNo,
  email: maskEmail,
};

/** Masks every known personal field wherever it sits in a structure; other values pass unchanged. */
export function maskPersonalData<T>(value: T): T {
  return maskValue(value, undefined) as T;
}

function maskValue(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') {
    const mask = key === undefined ? undefined : MASKERS[key];
    return mask ? mask(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => maskValue(item, undefined));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v, k)]));
  }
  return value;
}

/** A notification's address, whatever its kind: phone, e-mail, or a staff id (kept, not personal). */
export function maskRecipient(recipient: string | null): string | null {
  if (recipient === null) return null;
  if (recipient.includes('@')) return maskEmail(recipient);
  if (/^\+?\d[\d\s-]{6,}$/.test(recipient))
    return maskPhone(recipient.replace(/[^\d]/g, '').replace(/^86(?=1\d{10}$)/, ''));
  return recipient;
}
