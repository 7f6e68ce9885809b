// Package i18n is Haocha's one translation catalogue: every phrase a page,
// export, report or text message shows, once, in Chinese and English.
//
// It is a small package of our own rather than golang.org/x/text/message or
// github.com/nicksnyder/go-i18n because what we need is narrow and both of
// those register messages at run time (SetString calls or loaded files), so
// a phrase added twice by two branches is found, at best, when the program
// starts. Here the catalogue is one Go map literal: a duplicate key does not
// compile, a missing language is a test failure (TestCatalogueComplete), and
// the phrases keep the fmt verbs the pages already use. Neither library's
// plural rules are needed: Chinese has none and the few English plurals are
// phrased around.
package i18n

import (
	"fmt"
	"sort"
	"strings"
)

// Lang is a language of the catalogue.
type Lang string

// The languages: Chinese is the default everywhere.
const (
	ZH Lang = "zh"
	EN Lang = "en"
)

// Parse is the language named by s ("zh" or "en"), and whether s names one.
func Parse(s string) (Lang, bool) {
	switch l := Lang(s); l {
	case ZH, EN:
		return l, true
	}
	return ZH, false
}

// phrase is one entry of the catalogue.
type phrase struct{ zh, en string }

// T is the phrase of key in l; a missing key shows as itself, so that it
// is noticed on the page (the walking tests fail on it) rather than hidden.
func (l Lang) T(key string) string {
	p, ok := phrases[key]
	if !ok {
		return key
	}
	if l == EN {
		return p.en
	}
	return p.zh
}

// Tf is the phrase of key in l with args filled in.
func (l Lang) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := phrases[key]
	return ok
}

// Keys are the catalogue's keys starting with prefix ("" for all), sorted.
func Keys(prefix string) []string {
	var ks []string
	for k := range phrases {
		if strings.HasPrefix(k, prefix) {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}
