/*
 * ncursesw (wide characters) for Swift: what Swift cannot import directly.
 * Macros (attributes, getmaxyx) and C globals (stdscr, LINES, COLS, COLORS,
 * stdin/stdout, which Swift 6 rejects as not concurrency-safe) are reached
 * through the small functions below.
 */
#ifndef CNCURSES_H
#define CNCURSES_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncurses.h>

/* glibc declares wcwidth only under __USE_XOPEN. */
extern int wcwidth(wchar_t c);

static inline WINDOW *cncurses_stdscr(void) { return stdscr; }
static inline int cncurses_lines(void) { return LINES; }
static inline int cncurses_cols(void) { return COLS; }
static inline int cncurses_colors(void) { return COLORS; }
static inline int cncurses_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *cncurses_stdin(void) { return stdin; }
static inline FILE *cncurses_stdout(void) { return stdout; }

static inline int cncurses_max_y(WINDOW *window) {
  int y, x;
  getmaxyx(window, y, x);
  (void)x;
  return y;
}

static inline int cncurses_max_x(WINDOW *window) {
  int y, x;
  getmaxyx(window, y, x);
  (void)y;
  return x;
}

static inline attr_t cncurses_a_normal(void) { return A_NORMAL; }
static inline attr_t cncurses_a_bold(void) { return A_BOLD; }
static inline attr_t cncurses_a_dim(void) { return A_DIM; }
static inline attr_t cncurses_a_reverse(void) { return A_REVERSE; }
static inline attr_t cncurses_a_underline(void) { return A_UNDERLINE; }

/* Sets the attributes and colour pair for the text written next. */
static inline int cncurses_set_style(attr_t attributes, short pair) {
  return wattr_set(stdscr, attributes, pair, NULL);
}

/* Mouse masks (macros in ncurses.h): the left button, and the wheel,
   which xterm-style terminals report as buttons 4 and 5. */
static inline mmask_t cncurses_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cncurses_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t cncurses_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cncurses_button5_pressed(void) { return BUTTON5_PRESSED; }

/* Whether the current terminal can move the cursor (not "dumb"). */
static inline bool cncurses_can_address_cursor(void) {
  const char *cup = tigetstr("cup");
  return cup != NULL && cup != (const char *)-1;
}

/* The codeset of the current locale, e.g. "UTF-8" or "ANSI_X3.4-1968". */
static inline const char *cncurses_codeset(void) { return nl_langinfo(CODESET); }

#endif
