// Long output is kept as its head and its tail: the start says what ran, the end says how it ended.

export class HeadTailBuffer {
  private head = "";
  private tail = "";
  private dropped = 0;

  constructor(private readonly headChars = 4000, private readonly tailChars = 4000) {}

  push(chunk: string): void {
    if (this.head.length < this.headChars) {
      const room = this.headChars - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk === "") return;
    this.tail += chunk;
    if (this.tail.length > this.tailChars) {
      this.dropped += this.tail.length - this.tailChars;
      this.tail = this.tail.slice(this.tail.length - this.tailChars);
    }
  }

  text(): string {
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n… (${this.dropped} characters left out) …\n${this.tail}`;
  }
}
