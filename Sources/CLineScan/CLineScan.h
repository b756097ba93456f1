/*
 * The inner loop of PlainLineScanner (ExportReading) sixteen bytes at a
 * time with SSE2, which every x86-64 processor has and Swift has no
 * spelling for (its SIMD types cannot turn a comparison into a bit mask).
 * Other processors use the Swift loop, eight bytes at a time.
 */
#ifndef CLINESCAN_H
#define CLINESCAN_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/*
 * Finds the commas of `line[0..<length]` (a line without its line break):
 * writes each field's end into `field_ends` (room for `max_fields`) and
 * returns the number of fields, with `*non_ascii` set when a byte is 0x80
 * or more. Returns -1, the line not being plain, when a byte is a quote, a
 * C0 control character or DEL, or when there are more than `max_fields`
 * fields.
 */
static inline long sis_scan_plain_line(
    const uint8_t *line, long length, long *field_ends, long max_fields, int *non_ascii) {
  const __m128i commas = _mm_set1_epi8(',');
  const __m128i quotes = _mm_set1_epi8('"');
  const __m128i deletes = _mm_set1_epi8(0x7F);
  const __m128i spaces = _mm_set1_epi8(0x20);
  const __m128i zeros = _mm_setzero_si128();
  long fields = 0;
  long index = 0;
  int high = 0;
  /* Sixteen bytes at a time; the last sixteen are read again where they
   * overlap the chunk before (those passed the checks already), and only
   * the commas past `index` are new. A line under sixteen bytes is left to
   * the byte loop below. */
  while (length >= 16 && index < length) {
    long start = index + 16 <= length ? index : length - 16;
    __m128i bytes = _mm_loadu_si128((const __m128i *)(line + start));
    /* Signed bytes: a control character is 0 to 0x1F; non-ASCII is negative. */
    __m128i control = _mm_andnot_si128(_mm_cmplt_epi8(bytes, zeros), _mm_cmplt_epi8(bytes, spaces));
    __m128i special = _mm_or_si128(
        control, _mm_or_si128(_mm_cmpeq_epi8(bytes, quotes), _mm_cmpeq_epi8(bytes, deletes)));
    if (_mm_movemask_epi8(special) != 0) return -1;
    high |= _mm_movemask_epi8(bytes);
    unsigned found = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, commas)) >> (index - start);
    while (found != 0) {
      if (fields >= max_fields) return -1;
      field_ends[fields++] = index + __builtin_ctz(found);
      found &= found - 1;
    }
    index = start + 16;
  }
  for (; index < length; index++) {
    uint8_t byte = line[index];
    if (byte == '"' || byte < 0x20 || byte == 0x7F) return -1;
    if (byte >= 0x80) high = 1;
    if (byte == ',') {
      if (fields >= max_fields) return -1;
      field_ends[fields++] = index;
    }
  }
  if (fields >= max_fields) return -1;
  field_ends[fields] = length;
  *non_ascii = high != 0;
  return fields + 1;
}
#endif

#endif
