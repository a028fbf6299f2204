/**
 * Incremental parsers for imports: text arrives in chunks of any size and records leave as soon as
 * they are complete, so a file of any length is parsed in constant memory. No dependency: the CSV
 * needed here is RFC 4180 (quoted fields, doubled quotes, commas and line breaks inside quotes,
 * CRLF or LF), and a JSON array only has to be cut into its elements.
 */

/** The file as a whole cannot be read on (not an array, an unterminated quote, a field too long …). */
export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

/** A field or element longer than this is a broken file, not data: refuse instead of buffering it. */
const MAX_FIELD = 64 * 1024;

const enum Csv {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

export class CsvParser {
  private state = Csv.FieldStart;
  private field = '';
  private record: string[] = [];
  private records: string[][] = [];
  private afterCR = false;
  private first = true;

  /** Feeds a chunk; returns the records it completed. Blank lines are skipped. */
  push(text: string): string[][] {
    let chunk = text;
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (this.afterCR) {
        this.afterCR = false;
        if (ch === '\n') continue;
      }
      switch (this.state) {
        case Csv.Quoted:
          if (ch === '"') this.state = Csv.QuoteInQuoted;
          else this.append(ch);
          break;
        case Csv.QuoteInQuoted:
          if (ch === '"') {
            this.append('"');
            this.state = Csv.Quoted;
          } else {
            this.state = Csv.Unquoted;
            this.plain(ch);
          }
          break;
        default:
          this.plain(ch);
      }
    }
    return this.take();
  }

  /** The input has ended: completes the last record. */
  end(): string[][] {
    if (this.state === Csv.Quoted) throw new ImportFormatError('the CSV ends inside a quoted field');
    if (this.field !== '' || this.record.length > 0) this.endRecord();
    return this.take();
  }

  private plain(ch: string): void {
    if (ch === ',') this.endField();
    else if (ch === '\n') this.endRecord();
    else if (ch === '\r') {
      this.endRecord();
      this.afterCR = true;
    } else if (ch === '"' && this.state === Csv.FieldStart) this.state = Csv.Quoted;
    else {
      this.append(ch);
      this.state = Csv.Unquoted;
    }
  }

  private append(ch: string): void {
    this.field += ch;
    if (this.field.length > MAX_FIELD)
      throw new ImportFormatError(`a CSV field is longer than ${MAX_FIELD} characters (an unbalanced quote?)`);
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.state = Csv.FieldStart;
  }

  private endRecord(): void {
    this.endField();
    const blank = this.record.length === 1 && this.record[0] === '';
    if (!blank) this.records.push(this.record);
    this.record = [];
  }

  private take(): string[][] {
    const done = this.records;
    this.records = [];
    return done;
  }
}

/**
 * Cuts a JSON array into the text of its elements (each parsed by the caller, so one malformed
 * element is one rejected row). Only the array's own structure is tracked: strings, escapes, nesting.
 */
export class JsonArraySplitter {
  private started = false;
  private done = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private element = '';
  private elements: string[] = [];

  push(text: string): string[] {
    for (let i = 0; i < text.length; i++) this.step(text[i]!);
    const done = this.elements;
    this.elements = [];
    return done;
  }

  end(): string[] {
    if (!this.started) throw new ImportFormatError('expected a JSON array, found no data');
    if (!this.done) throw new ImportFormatError('the JSON array is not closed (truncated file?)');
    return [];
  }

  private step(ch: string): void {
    const space = ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\ufeff';
    if (!this.started) {
      if (space) return;
      if (ch !== '[') throw new ImportFormatError('expected a JSON array of policies');
      this.started = true;
      return;
    }
    if (this.done) {
      if (!space) throw new ImportFormatError('unexpected content after the JSON array');
      return;
    }
    if (this.inString) {
      this.add(ch);
      if (this.escaped) this.escaped = false;
      else if (ch === '\\') this.escaped = true;
      else if (ch === '"') this.inString = false;
      return;
    }
    if (this.depth === 0 && (ch === ',' || ch === ']')) {
      const text = this.element.trim();
      this.element = '';
      if (text !== '') this.elements.push(text);
      else if (ch === ',') this.elements.push('');
      if (ch === ']') this.done = true;
      return;
    }
    if (space && this.element === '') return;
    this.add(ch);
    if (ch === '"') this.inString = true;
    else if (ch === '{' || ch === '[') this.depth += 1;
    else if (ch === '}' || ch === ']') this.depth -= 1;
    if (this.depth < 0) throw new ImportFormatError('unbalanced brackets in the JSON array');
  }

  private add(ch: string): void {
    this.element += ch;
    if (this.element.length > MAX_FIELD)
      throw new ImportFormatError(`an array element is longer than ${MAX_FIELD} characters`);
  }
}
