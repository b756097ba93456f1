/*
 * The byte classes of a common email (EmailWords, in ExportReading)
 * sixteen bytes at a time with SSE2, which every x86-64 processor has and
 * Swift has no spelling for (its SIMD types cannot turn a comparison into
 * a bit mask). Other processors use the Swift loop, eight bytes at a time.
 */
#ifndef CEMAILSCAN_H
#define CEMAILSCAN_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/* One bit a byte of sixteen: dots, `@`s, and ASCII letters, digits, dots
 * and `@`s (the bytes a common email may hold at all). */
static inline void sis_email_chunk(
    const uint8_t *bytes, unsigned *dots, unsigned *ats, unsigned *allowed) {
  __m128i chunk = _mm_loadu_si128((const __m128i *)bytes);
  /* Signed compares: a byte of 0x80 or more is negative, in no range. */
  __m128i folded = _mm_or_si128(chunk, _mm_set1_epi8(0x20));
  __m128i letter = _mm_and_si128(
      _mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
  __m128i digit = _mm_and_si128(
      _mm_cmpgt_epi8(chunk, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(chunk, _mm_set1_epi8('9' + 1)));
  __m128i dot = _mm_cmpeq_epi8(chunk, _mm_set1_epi8('.'));
  __m128i at = _mm_cmpeq_epi8(chunk, _mm_set1_epi8('@'));
  *dots = (unsigned)_mm_movemask_epi8(dot);
  *ats = (unsigned)_mm_movemask_epi8(at);
  *allowed = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(dot, at)));
}

/*
 * The classes of `bytes[0..<count]`, 16 <= count <= 64, one bit a byte
 * (byte i's in bit i). Reads no byte outside the address: the last sixteen
 * bytes are read again where they overlap a chunk before (a byte's class
 * is the same either time).
 */
static inline void sis_email_classes(
    const uint8_t *bytes, long count, uint64_t *dots, uint64_t *ats, uint64_t *allowed) {
  uint64_t dot_bits = 0, at_bits = 0, allowed_bits = 0;
  unsigned dot, at, ok;
  long index = 0;
  for (; index + 16 <= count; index += 16) {
    sis_email_chunk(bytes + index, &dot, &at, &ok);
    dot_bits |= (uint64_t)dot << index;
    at_bits |= (uint64_t)at << index;
    allowed_bits |= (uint64_t)ok << index;
  }
  if (index < count) {
    long start = count - 16;
    sis_email_chunk(bytes + start, &dot, &at, &ok);
    dot_bits |= (uint64_t)dot << start;
    at_bits |= (uint64_t)at << start;
    allowed_bits |= (uint64_t)ok << start;
  }
  *dots = dot_bits;
  *ats = at_bits;
  *allowed = allowed_bits;
}
#endif

#endif
