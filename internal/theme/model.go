package theme

import (
	"bufio"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// The labelled sets the models are trained on, embedded so that training
// needs no file at run time. They are named one by one: a set added to
// testdata to measure the matcher must not be trained on by accident.
var (
	//go:embed testdata/labelled.tsv
	firstLabelled string
	//go:embed testdata/fresh.tsv
	secondLabelled string
	//go:embed testdata/third.tsv
	thirdLabelled string
	// fourthLabelled was written blind to the matcher and its kept-apart
	// half measured once (theme_test.go keeps the figures); both halves
	// are trained on since, and the next blind set measures the matcher.
	//go:embed testdata/fourth.tsv
	fourthLabelled string
	// fifthLabelled was written blind to the matcher of 2a4e25a and its
	// kept-apart half measured once (theme_test.go keeps the figures);
	// both halves are trained on since.
	//go:embed testdata/fifth.tsv
	fifthLabelled string
	// sixthLabelled was written blind to the matcher of 80affb6 and its
	// kept-apart half measured once (theme_test.go keeps the figures);
	// both halves are trained on since.
	//go:embed testdata/sixth.tsv
	sixthLabelled string
	// seventhLabelled was written blind to the matcher of 02cb54f and its
	// kept-apart half measured once (theme_test.go keeps the figures);
	// both halves are trained on since.
	//go:embed testdata/seventh.tsv
	seventhLabelled string
	// eighthLabelled was written blind to the matcher of 3705633 and its
	// kept-apart half measured once (theme_test.go keeps the figures);
	// both halves are trained on since.
	//go:embed testdata/eighth.tsv
	eighthLabelled string
	// ninthLabelled was written blind to the matcher of fa5d676 and its
	// kept-apart half measured once (theme_test.go keeps the figures);
	// both halves are trained on since.
	//go:embed testdata/ninth.tsv
	ninthLabelled string
	// tenthLabelled was written blind to the matcher of 6b2a0f9 and its
	// kept-apart half measured once (theme_test.go keeps the figures);
	// both halves are trained on since.
	//go:embed testdata/tenth.tsv
	tenthLabelled string
)

// concept is a class of words and phrasings (concepts.tsv).
type concept struct {
	name    string
	phrases [][]term
}

//go:embed concepts.tsv
var conceptsTSV string

var shippedConcepts = func() []concept {
	var out []concept
	err := rows(strings.NewReader(conceptsTSV), func(line int, f []string) error {
		if len(f) != 2 {
			return fmt.Errorf("line %d: want 2 fields, got %d", line, len(f))
		}
		p, err := parsePhrases(f[1])
		if err != nil {
			return fmt.Errorf("line %d: %s: %w", line, f[0], err)
		}
		out = append(out, concept{name: f[0], phrases: p})
		return nil
	})
	if err != nil {
		panic("theme: concepts.tsv: " + err.Error())
	}
	return out
}()

// example is one labelled comment.
type example struct {
	comment string
	themes  []string
	set     int // the index of its set among those read together
}

// readExamples reads the comments and themes of labelled sets in the form
// of testdata/*.tsv (split, themes, comment), all splits alike.
func readExamples(sets ...string) []example {
	var out []example
	for n, set := range sets {
		sc := bufio.NewScanner(strings.NewReader(set))
		for sc.Scan() {
			s := sc.Text()
			if s == "" || strings.HasPrefix(s, "#") || strings.HasPrefix(s, "split\t") {
				continue
			}
			f := strings.Split(s, "\t")
			if len(f) != 3 {
				panic("theme: a labelled set's line has not 3 fields: " + s)
			}
			e := example{comment: f[2], set: n}
			if f[1] != "" {
				e.themes = strings.Split(f[1], ",")
			}
			out = append(out, e)
		}
	}
	return out
}

// settings are the choices of the models, compared by leave-one-set-out
// (loso_test.go): each of the five labelled sets scored by models trained
// on the other four. Each was judged by the mean over the ten themes of the
// smaller of precision and recall, pooled over the five sets and on
// fifth.tsv alone (the one set neither the phrase lists, a feature, nor
// concepts.tsv were written from, so the honest figure; the pooled one
// flatters the lists, tuned on the other four):
//
//	                                                 pooled fifth.tsv
//	settings of commit 2a4e25a                       0.886  0.798
//	+ concepts.tsv's concepts as features            0.882  0.800
//	+ thresholds by set-folds, not random folds      0.882  0.811
//	+ dropPhrase 0.5, posWeight 3, lambda 3e-5       0.882  0.827
//	+ "说明" out of the concepts, denied clauses     0.882  0.822
//	  weigh for no theme
//	+ 20 epochs (12: 0.822, 16: 0.830, 24: 0.843,    0.880  0.846
//	  30: 0.834)
//
// Without concepts, the last row gives 0.877 / 0.812 at dropPhrase 0.5,
// posWeight 3: the concepts carry once the phrase feature is dropped often
// enough for the model to learn other evidence. fifth.tsv's figure was
// the one looked at in choosing among some 30 variations, so it is itself
// somewhat flattered; a comment moves a theme's fifth.tsv figure by about
// 0.01. Tried and not taken: a concept's value 1.5, 2 or 3 (a gram's is
// 1; all lower), a larger concept list (0.824 against 0.827: more words,
// more false hits), 2-grams over numbers written "#" (0.808 against
// 0.811), character 3-grams (0.824 against 0.824 at twice the features),
// minCount 1, clause 0.4, 0.6 and 0.7, no phrase feature at all (0.844 /
// 0.812: the lists find nothing on fifth.tsv the grams do not), and a
// maintained pure-Go segmenter (github.com/go-ego/gse v0.80.3, not among
// the modules this project may use): its dictionary is 15 MB of files read
// at run time, 10 s to load here (load average 6), for words that 1- and
// 2-grams with concepts already reach. Folding traditional characters and
// Shanghai dialect (variants.go) changed no figure (the sets hold few); it
// is kept as cheap insurance for comments that do. Before, by 5-fold
// random cross-validation over four sets: thresholds balancing precision
// and recall, a theme's comments weighed more, each clause scored beside
// the whole (commit e233b6e).
//
// Since sixth.tsv was measured once (theme_test.go) and trained on,
// leave-one-set-out runs over six sets, and its honest columns are
// fifth.tsv's and sixth.tsv's (mean of min(P, R), pooled / fifth / sixth):
//
//	settings of commit 80affb6, six sets             0.885  0.837  0.866
//	+ praise 蛮, 蛮好, 好的, 热情, 耐心, 和气         0.886  0.837  0.872
//	  (theme.go: "态度蛮好的" speaks for attitude)
//	+ tilt 0.05 for attitude, information_unclear    0.892  0.843  0.877
//
// Tilt 0.03 for every theme gave 0.893 / 0.833 / 0.880 (queueing and
// staff_competence lose recall on fifth.tsv), 0.06 for every theme 0.881 /
// 0.824 / 0.880, 0.05 for materials too 0.892 / 0.844 / 0.873 (materials'
// recall on sixth.tsv falls to 0.84), tilt 0.03 with posWeight 2 0.892 /
// 0.832 / 0.875; 0.08 for attitude and information_unclear with 0.02 for
// materials 0.892 / 0.846 / 0.879, but attitude's recall falls from 0.90
// to 0.87 pooled and 0.98 to 0.94 on sixth.tsv, information_unclear's
// and materials' by 0.01 to 0.02: precision bought with recall. Concepts against the near themes (a polite clerk, a clerk
// who did tell, the citizen's own forgotten item) moved no figure by more
// than 0.001 and were left out.
//
// Since seventh.tsv was measured once (theme_test.go) and trained on,
// leave-one-set-out runs over seven sets, and its honest columns are
// fifth.tsv's, sixth.tsv's and seventh.tsv's (mean of min(P, R), pooled /
// fifth / sixth / seventh):
//
//	settings of commit 02cb54f, seven sets           0.899  0.861  0.880  0.869
//	the same, labels of the six older sets corrected 0.900  0.870  0.876  0.862
//	  by GUIDE.md (branch relabel)
//	+ tilt 0.05 for materials and system_failure     0.901  0.874  0.871  0.865
//	  too, clause 0.2 for information_unclear,
//	  没碰到/没遇到 deny
//
// Precision, pooled / fifth / sixth / seventh, went from 0.89 / 0.89 /
// 0.93 / 0.79 to 0.91 / 0.92 / 0.93 / 0.85 for materials (recall 0.91 to
// 0.89 pooled, 0.82 to 0.80 on sixth.tsv), 0.90 / 0.85 / 0.93 / 0.91 to
// 0.92 / 0.86 / 0.94 / 0.94 for system_failure (recall 0.93 to 0.90) and
// 0.84 / 0.89 / 0.91 / 0.71 to 0.85 / 0.90 / 0.93 / 0.72 for
// information_unclear (recall 0.84 to 0.85); the other seven did not move
// by more than 0.01. Tilt 0.08 for materials (0.921 / 0.875 pooled) or
// system_failure (0.927 / 0.886), or 0.10 for both, bought precision with
// more recall than it gave; 0.08 or 0.12 for information_unclear did not
// raise its precision on seventh.tsv (0.71, 0.74) and cost recall
// elsewhere. Clause 0.2 for materials too gave it 0.909 / 0.901 pooled
// (precision lost), clause 0 for information_unclear 0.849 / 0.833. Tried and dropped, each
// against the same settings without it on the same data (means pooled /
// fifth / sixth / seventh): a second model per theme over the logits of
// every theme's score, learning from the sets how far a neighbour's score
// speaks against a theme (0.897 / 0.858 / 0.871 / 0.867 against 0.901 /
// 0.875 / 0.872 / 0.864; it learnt little, the sets label the neighbours
// both ways); a feature for each pair of concepts found together in a
// clause (0.897 / 0.857 / 0.877 / 0.867 against 0.899 / 0.861 / 0.880 /
// 0.869, labels before relabel) or in the comment (0.901 / 0.868 / 0.875 /
// 0.864 against 0.901 / 0.875 / 0.872 / 0.864); thresholds set on the
// out-of-fold scores of fifth, sixth and seventh only (0.894 / 0.854 /
// 0.867 / 0.857 against 0.900 / 0.871 / 0.877 / 0.861), those sets weighed
// 2 or 3 in training (0.900 / 0.868 / 0.877 / 0.861, 0.899 / 0.863 / 0.877
// / 0.859), and the threshold of highest precision that keeps recall 0.90,
// 0.92 or 0.94 where the balanced one reaches it (0.898 / 0.860 / 0.874 /
// 0.862 and about the same: materials and system_failure never reach it
// out of fold); concepts.tsv's unsure split into the clerk who does not
// know and the citizen who is lost (0.899 / 0.873 / 0.870 / 0.863 against
// 0.901 / 0.875 / 0.872 / 0.864); dropPhrase 0.8 or 1 for
// information_unclear, so that its lists weigh less (0.900 / 0.878 / 0.869
// / 0.864, 0.899 / 0.878 / 0.867 / 0.865 against 0.901 / 0.874 / 0.871 /
// 0.865; its precision on seventh.tsv 0.71). information_unclear's precision on
// seventh.tsv stays near 0.72: its writer gave a clerk who "说不清" to staff_competence and
// "去街道，街道说去区里" to multiple_trips alone, where the older sets give
// both; no setting tried learns one way from data that say both.
//
// Since eighth.tsv was measured once (theme_test.go) and trained on,
// leave-one-set-out runs over eight sets, and its honest columns are
// fifth.tsv's to eighth.tsv's. All eight sets are labelled by GUIDE.md's
// "Decisions on the borderlines every labeller named" (branch relabel2).
// The settings did not change; concepts.tsv and themes.tsv did. Mean of
// min(P, R), pooled / fifth / sixth / seventh / eighth:
//
//	matcher of commit 3705633, eight sets       0.896  0.864  0.864  0.888  0.873
//	+ concepts: several answers (三个说法),       0.898  0.861  0.870  0.877  0.875
//	  not told at once, window to window in one
//	  hall (decision 2), rules changed
//	  unannounced; information_unclear phrases
//	  for the same
//	+ concepts: attitude's closing time, idling,  0.897  0.863  0.867  0.878  0.874
//	  the citizen's skill mocked (not
//	  staff_competence), a wrong amount, a review
//	  clicked by mistake; praise 也好, 可以,
//	  非常好, 没毛病
//	- information_unclear's phrases that find     0.897  0.857  0.866  0.884  0.873
//	  more comments without it than with it
//	  (说不清, 不清楚, 指示牌, 广播, ...)
//	+ concepts: left not knowing what to bring   0.898  0.857  0.866  0.886  0.872
//	  or where to go (decision 1), the same clerk
//	+ information_unclear phrases: two sources    0.900  0.866  0.863  0.890  0.873
//	  across clauses (说可以 … 说不行, 说不用 …
//	  又要), more sources (指南说, 短信里说, 墙上贴)
//	+ staff_competence phrases: a wrong tax or    0.902  0.867  0.866  0.894  0.873
//	  amount (decision 5), a clerk who knows
//	  nothing or must ask (decision 1), 新手
//	+ attitude phrases: sent off at closing or    0.903  0.870  0.869  0.891  0.871
//	  lunch, idling, 关我什么事, 官僚, 白了我
//
// information_unclear went from 0.873 / 0.813 pooled (P / R) to 0.855 /
// 0.862, and on eighth.tsv from 0.84 / 0.76 to 0.78 / 0.85; attitude from
// 0.918 / 0.911 to 0.932 / 0.924 (eighth.tsv 0.92 / 0.89 to 0.97 / 0.87);
// staff_competence from 0.885 / 0.906 to 0.908 / 0.913 (eighth.tsv 0.93 /
// 0.83 to 0.94 / 0.83). Every theme now meets 0.85 pooled; on the honest
// sets 8, 7, 9 and 7 of 10. The new words came from the held-out errors of
// the first seven sets read against GUIDE.md, never from eighth.tsv's: its
// errors were not read, so its column is the one figure not tuned on
// (fifth to seventh's flatter the change). Tried and dropped for
// information_unclear, against 0.858 / 0.834 pooled then: tilt 0.02
// (0.840 / 0.846), tilt 0 (0.830 / 0.854), clause 0.35 (0.856 / 0.836):
// the threshold moves along one curve, the new phrases moved the curve.
// Its recall on fifth.tsv and precision on seventh.tsv stay near 0.80:
// seventh.tsv gives "一次说清楚" to materials and multiple_trips alone,
// where GUIDE.md's table adds information_unclear. The matcher of these
// figures is frozen at commit fa5d676 (its data, lists, concepts and
// settings); the next set written blind measures it once.
//
// Since ninth.tsv was measured once (theme_test.go: information_unclear
// 0.800 / 0.774, the nine other themes 0.85 or more) and trained on,
// leave-one-set-out runs over nine sets, and its honest columns are
// fifth.tsv's to ninth.tsv's. Mean of min(P, R), pooled / fifth / sixth /
// seventh / eighth / ninth:
//
//	matcher of commit fa5d676, nine sets     0.904  0.873  0.883  0.893  0.885  0.885
//	+ concepts: opening hours (posted_hours), 0.906  0.872  0.884  0.895  0.885  0.892
//	  what a notice or window table says of
//	  the business (business_board, decision
//	  3), a list that said nothing of it
//	  (list_silent: materials alone),
//	  含含糊糊 and 云里雾里, windows pointing at
//	  each other in one hall (decision 2),
//	  早就换了; a misclick (点错了) is no slip;
//	  tilt 0.02 for information_unclear
//	+ concepts: one more document (差一张,    0.907  0.872  0.884  0.895  0.886  0.892
//	  缺个), accepted from one place only (只认)
//	+ concepts: only one or two windows open, 0.907  0.872  0.884  0.895  0.889  0.894
//	  never coming again (不想再来)
//
// information_unclear went from 0.871 / 0.841 pooled (P / R) to 0.863 /
// 0.864, on eighth.tsv from 0.80 / 0.79 to 0.80 / 0.81, on ninth.tsv from
// 0.84 / 0.75 to 0.82 / 0.81; materials from 0.908 / 0.873 to 0.912 / 0.873,
// queueing from 0.912 / 0.926 to 0.919 / 0.928 (eighth.tsv's recall 0.84 to
// 0.87), staff_competence from 0.896 / 0.908 to 0.900 / 0.906. Every theme
// meets 0.85 pooled; on the honest sets 6, 7, 8, 9 and 9 of 10. The new
// words came from the held-out errors of all nine sets, ninth.tsv's among
// them, so its column flatters the change: eighth.tsv's moved by 0.004.
// Most of the gain for information_unclear is the tilt: with nine sets its
// balanced threshold held precision above recall by more than the goal
// asks (0.872 / 0.843 with the new concepts at 0.05; 0.862 / 0.859 at 0.02,
// 0.847 / 0.866 at 0, figures of its model alone). Tried and dropped for
// information_unclear, against the same concepts at 0.05: the same words
// as phrases of themes.tsv (旧的, 办公时间, 告示, 指来指去, 窗口 … 不归,
// 业务 … 写的, …; each finds no more comments without the theme than with
// it): 0.874 / 0.839, its recall on fifth.tsv and sixth.tsv falling from
// 0.85 and 0.88 to 0.80 and 0.82; at 0.02, dropping its four phrases that
// find more comments without it than with it (不明白 3 / 4, 解释不清 1 / 2,
// 搞清楚 3 / 4, 标识 6 / 7): 0.847 / 0.862 against 0.862 / 0.859; clause 0.35
// or 0.1 against 0.2: 0.860 / 0.868, 0.858 / 0.863 against 0.863 / 0.864. What
// it still misses or wrongly finds is mostly the borderlines the sets label
// both ways: a document beyond what the hotline or the website said
// (materials alone or with information_unclear), one clerk's two answers,
// offices that point at each other, and a floor sign that names the wrong
// business. The matcher of these figures is frozen at the commit that
// wrote this paragraph; the next set written blind measures it once.
//
// Since tenth.tsv was measured once (theme_test.go: information_unclear
// 0.797 / 0.881, the nine other themes 0.85 or more) and trained on,
// leave-one-set-out runs over ten sets, and its honest columns are
// fifth.tsv's to tenth.tsv's; all ten are labelled by GUIDE.md's decisions
// 6 and 7 (branch relabel3). The settings did not change. Mean of min(P,
// R), pooled / fifth / sixth / seventh / eighth / ninth / tenth, and
// information_unclear's P / R pooled:
//
//	matcher of 6b2a0f9, ten sets, relabelled   0.910 .878 .890 .897 .871 .904 .905  0.848 / 0.855
//	+ themes.tsv's affirmed column: a clause    0.911 .875 .891 .894 .869 .905 .905  0.854 / 0.854
//	  that says the citizen was told clearly
//	  (说清楚了要带什么, 流程很清楚) counts for
//	  no theme; information_unclear's phrases
//	  of two sources that disagree leave fees
//	  alone (GUIDE.md: fees only); its phrases
//	  that found more comments without it than
//	  with it narrowed (查不到, 不归, 搞清楚, 不符)
//	+ its phrases of signs only where the sign  0.911 .877 .888 .897 .868 .905 .902  0.854 / 0.855
//	  speaks of the business (decision 3), 不知道
//	  该 not of what to say, 没说清楚 not when the
//	  clerk blames the citizen
//	+ concept nothing_to_say (不知道说啥); its   0.911 .877 .896 .896 .869 .907 .904  0.862 / 0.865
//	  phrases of two answers not when one clerk
//	  gave both (staff_competence), of a missing
//	  notice not for an outage (system_failure)
//
// information_unclear per honest set, P / R, before and after: fifth 0.85 /
// 0.85 to 0.85 / 0.87, sixth 0.94 / 0.83 to 0.92 / 0.90, seventh 0.84 /
// 0.92 to 0.84 / 0.92, eighth 0.81 / 0.84 to 0.87 / 0.79, ninth 0.78 /
// 0.82 to 0.83 / 0.81, tenth 0.83 / 0.84 to 0.83 / 0.89; the other themes
// moved by 0.01 or less. Each phrase changed was measured by
// TestPhraseCounts over the ten sets: no phrase of information_unclear now
// finds more comments without it than with it, and the affirmed phrases
// find no comment with it. The words came from the held-out errors of all
// ten sets read against GUIDE.md, tenth.tsv's among them, so every column
// flatters the change; a comment moves a set's figure by about 0.015.
// Tried and dropped: tilt 0 for information_unclear (0.846 / 0.867 pooled
// against 0.854 / 0.855). The matcher of these figures is frozen at the
// commit that wrote this paragraph; the next set written blind measures it
// once.
type settings struct {
	// maxGram: a comment's features are its character 1- to maxGram-grams
	// within a clause: grams need no segmenter, and most Chinese words are
	// one or two characters.
	maxGram int
	// minCount: a gram is a feature only if it is in at least this many
	// training comments; rarer ones only memorise a comment.
	minCount int
	// lambda is the L2 regularisation, epochs the passes of SGD.
	lambda float64
	epochs int
	// dropPhrase is the share of training steps that do not see the phrase
	// feature, so that grams and concepts learn to find a theme without it:
	// the lists were tuned on the first four sets and find their themes
	// there more often than in comments they were not tuned on.
	dropPhrase float64
	// posWeight weighs the gradient of a comment that has the theme against
	// one that has not: a theme is in about one comment in ten, and an
	// unweighted model learns its rarer wordings too little.
	posWeight float64
	// balance: the threshold is the one that makes the smaller of precision
	// and recall highest on the out-of-fold scores, not F1, since the goal
	// holds each of them to 0.85.
	balance bool
	// clause: a comment of two clauses or more is also scored on each
	// clause alone, and its score is clause × the best clause's score plus
	// (1 − clause) × the whole comment's (0: the whole comment only). A
	// comment of two themes ("没排队，就是材料太多了") is otherwise scored
	// for each on grams half of which speak of the other; a clause alone is
	// short and sometimes misleads, the whole comment tempers it.
	clause float64
	// concepts: the concepts of concepts.tsv found in a clause are
	// features beside its grams.
	concepts bool
	// tilt: with balance, the threshold of a theme named here makes
	// min(precision − tilt, recall) highest on the out-of-fold scores, so
	// that precision is held that much above recall. For themes that, on a
	// set the folds did not see, find more comments that only come close to
	// them (a slow but polite clerk for attitude) than they lose.
	tilt map[string]float64
	// clauseFor is clause for the themes named here (the others take
	// clause). information_unclear is given by a clause alone too
	// eagerly: "说不清" in one clause reads as being told unclearly when
	// the comment around it is about a fee or a clerk who did not know
	// (GUIDE.md gives those to fees and staff_competence).
	clauseFor map[string]float64
}

// chosen are the settings the package uses.
var chosen = settings{
	maxGram:    2,
	minCount:   2,
	lambda:     3e-5,
	epochs:     20,
	dropPhrase: 0.5,
	posWeight:  3,
	balance:    true,
	clause:     0.5,
	concepts:   true,
	tilt:       map[string]float64{"attitude": 0.05, "information_unclear": 0.02, "materials": 0.05, "system_failure": 0.05},
	clauseFor:  map[string]float64{"information_unclear": 0.2},
}

const (
	// minPositives: a theme is given a model only with at least this many
	// labelled comments; one with fewer (one the General Office has just
	// added to themes.tsv) is found by its tag and phrases alone.
	minPositives = 15
)

// model is one theme's logistic regression over the grams of the clauses of
// a comment that do not speak for the theme, plus whether its phrases found
// it there.
type model struct {
	w         []float64 // per feature of the vocabulary, phrase feature last
	bias      float64
	threshold float64
}

// vocabulary maps a gram to its feature index; the concepts' features
// follow the grams', and the phrase feature is last.
type vocabulary struct {
	s        settings
	index    map[string]int
	grams    []string
	concepts []concept
	themes   []Theme // the taxonomy's, for denied
}

// denied says whether c denies or praises any theme of v's taxonomy
// ("没排队"): such a clause is left out of every theme's features, since a
// clause that says one thing went well says nothing for or against another
// ("没排队，就是材料太多了" is materials by its second clause alone).
func (v *vocabulary) denied(c string) bool {
	return slices.ContainsFunc(v.themes, func(th Theme) bool { return th.spokenFor(c) })
}

// phraseFeature is the index of the phrase feature.
func (v *vocabulary) phraseFeature() int { return len(v.grams) + len(v.concepts) }

// grams appends the 1- to maxGram-grams of each clause.
func (s settings) grams(clauses []string, out []string) []string {
	for _, c := range clauses {
		r := []rune(c)
		for n := 1; n <= s.maxGram; n++ {
			for i := 0; i+n <= len(r); i++ {
				out = append(out, string(r[i:i+n]))
			}
		}
	}
	return out
}

func buildVocabulary(s settings, comments []string) *vocabulary {
	count := map[string]int{}
	for _, c := range comments {
		gs := s.grams(splitClauses(c), nil)
		slices.Sort(gs)
		for _, g := range slices.Compact(gs) {
			count[g]++
		}
	}
	v := &vocabulary{s: s, index: map[string]int{}}
	if s.concepts {
		v.concepts = shippedConcepts
	}
	for g, n := range count {
		if n >= s.minCount {
			v.grams = append(v.grams, g)
		}
	}
	slices.Sort(v.grams) // a fixed order, whatever the map's
	for i, g := range v.grams {
		v.index[g] = i
	}
	return v
}

// features is the sorted feature indices of a comment for theme th: the
// grams of its clauses that do not speak for th, and the phrase feature if
// th's phrases find it in them. Each feature's value is 1/sqrt(len).
func (v *vocabulary) features(th *Theme, clauses []string) []int {
	return v.featuresOf(th, clauses, v.clauseIDs(clauses), v.counted(th, clauses, v.deniedEach(clauses)))
}

// deniedEach is denied of each clause: the same for every theme, so
// computed once for all of them.
func (v *vocabulary) deniedEach(clauses []string) []bool {
	out := make([]bool, len(clauses))
	for k, c := range clauses {
		out[k] = v.denied(c)
	}
	return out
}

// counted is, for each clause, whether it counts for th: it neither speaks
// for th nor is denied (denied, deniedEach's).
func (v *vocabulary) counted(th *Theme, clauses []string, denied []bool) []bool {
	out := make([]bool, len(clauses))
	for k, c := range clauses {
		out[k] = !denied[k] && !th.spokenFor(c)
	}
	return out
}

func (v *vocabulary) clauseIDs(clauses []string) [][]int {
	ids := make([][]int, len(clauses))
	for k, c := range clauses {
		ids[k] = v.ids(c)
	}
	return ids
}

// views is the feature indices of a comment for th as a whole, then, if
// v.s.clause is set and it has more than one clause, of each clause alone
// (denied is deniedEach's).
func (v *vocabulary) views(th *Theme, clauses []string, ids [][]int, denied []bool) [][]int {
	counts := v.counted(th, clauses, denied)
	out := [][]int{v.featuresOf(th, clauses, ids, counts)}
	if v.s.clause == 0 || len(clauses) < 2 {
		return out
	}
	for i := range clauses {
		out = append(out, v.featuresOf(th, clauses[i:i+1], ids[i:i+1], counts[i:i+1]))
	}
	return out
}

// scoreViews is the score of a comment of these views (see
// settings.clause).
func (m *model) scoreViews(views [][]int, clause float64) float64 {
	whole := m.score(views[0])
	if len(views) == 1 {
		return whole
	}
	best := 0.0
	for _, x := range views[1:] {
		best = max(best, m.score(x))
	}
	return clause*best + (1-clause)*whole
}

// ids is the feature indices of the grams of one clause.
func (v *vocabulary) ids(clause string) []int {
	var x []int
	for _, g := range v.s.grams([]string{clause}, nil) {
		if i, ok := v.index[g]; ok {
			x = append(x, i)
		}
	}
	for k, c := range v.concepts {
		if anyPhrase(c.phrases, clause) {
			x = append(x, len(v.grams)+k)
		}
	}
	return x
}

// featuresOf is features with the clauses' gram indices and whether each
// counts for th (counted) already known.
func (v *vocabulary) featuresOf(th *Theme, clauses []string, ids [][]int, counts []bool) []int {
	var x []int
	var kept strings.Builder
	for k, c := range clauses {
		if counts[k] {
			x = append(x, ids[k]...)
			kept.WriteString(c)
		}
	}
	if th.matches(kept.String()) {
		x = append(x, v.phraseFeature())
	}
	slices.Sort(x)
	return slices.Compact(x)
}

func (m *model) score(x []int) float64 {
	if len(x) == 0 {
		return sigmoid(m.bias)
	}
	s := 0.0
	for _, i := range x {
		s += m.w[i]
	}
	return sigmoid(m.bias + s/math.Sqrt(float64(len(x))))
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// xorshift steps a fixed-seed generator, so that training is the same on
// every run.
func xorshift(seed *uint64) uint64 {
	*seed ^= *seed << 13
	*seed ^= *seed >> 7
	*seed ^= *seed << 17
	return *seed
}

// train fits a logistic regression by SGD over xs (labels ys) in a fixed
// order shuffled by a fixed seed, so the same data give the same weights.
// L2 decay is kept as a scale of w, so a step costs only the features of
// its comment.
func (s settings) train(xs [][]int, ys []bool, nFeatures int) *model {
	m := &model{}
	w := make([]float64, nFeatures)
	scale, bias := 1.0, 0.0
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	seed := uint64(0x9E3779B97F4A7C15)
	t := 0.0
	const eta0 = 0.5
	for range s.epochs {
		for i := len(order) - 1; i > 0; i-- { // Fisher–Yates
			j := int(xorshift(&seed) % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		for _, k := range order {
			eta := eta0 / (1 + eta0*s.lambda*t)
			t++
			x := xs[k]
			if len(x) > 0 && x[len(x)-1] == nFeatures-1 {
				if float64(xorshift(&seed)%1000)/1000 < s.dropPhrase {
					x = x[:len(x)-1]
				}
			}
			norm := 1.0
			if len(x) > 0 {
				norm = 1 / math.Sqrt(float64(len(x)))
			}
			z := bias
			for _, i := range x {
				z += scale * w[i] * norm
			}
			y, weight := 0.0, 1.0
			if ys[k] {
				y, weight = 1, s.posWeight
			}
			g := weight * (y - sigmoid(z))
			scale *= 1 - eta*s.lambda
			if scale < 1e-9 {
				for i := range w {
					w[i] *= scale
				}
				scale = 1
			}
			step := eta * g * norm // (eta*g*norm)/scale as before, once per comment
			for _, i := range x {
				w[i] += step / scale
			}
			bias += eta * g
		}
	}
	for i := range w {
		w[i] *= scale
	}
	m.w, m.bias = w, bias
	return m
}

// bestThreshold is the score above which the theme is given that makes F1
// (or, if balance, the smaller of precision and recall) highest on scores
// the model gave to comments it was not trained on.
func bestThreshold(scores []float64, ys []bool, balance bool, tilt float64) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	pos := 0
	for _, y := range ys {
		if y {
			pos++
		}
	}
	best, bestF := 0.5, -1.0
	tp := 0
	for n, i := range idx {
		if ys[i] {
			tp++
		}
		if n+1 < len(idx) && scores[idx[n+1]] == scores[i] {
			continue
		}
		f := 2 * float64(tp) / float64(n+1+pos)
		if balance {
			f = min(float64(tp)/float64(n+1)-tilt, float64(tp)/float64(max(pos, 1)))
		}
		if f > bestF {
			bestF = f
			next := 0.0
			if n+1 < len(idx) {
				next = scores[idx[n+1]]
			}
			best = (scores[i] + next) / 2
		}
	}
	return best
}

// foldsOf is each example's fold of the cross-validation that sets the
// thresholds: its set. Every set was written at another time, by another
// hand or to another brief, in its own words, as the city's comments will
// be; a model scored on a set it was not trained on sets a threshold for
// wording it has not seen. Random folds, mixing each set's words into every
// fold, set thresholds for text like the training text and overstated how
// far the models carry (they promised every theme 0.85 before fifth.tsv
// met 3 of 10).
func foldsOf(exs []example) []int {
	out := make([]int, len(exs))
	for k, e := range exs {
		out[k] = e.set
	}
	return out
}

// trainTheme fits th's model on the examples and sets its threshold by
// cross-validation on them (fold gives each example's fold: its set).
func (s settings) trainTheme(th *Theme, v *vocabulary, clauses [][]string, ids [][][]int, denied [][]bool, exs []example, fold []int) *model {
	xs := make([][]int, len(exs))
	ys := make([]bool, len(exs))
	views := make([][][]int, len(exs))
	for k, e := range exs {
		views[k] = v.views(th, clauses[k], ids[k], denied[k])
		xs[k] = views[k][0]
		ys[k] = slices.Contains(e.themes, th.Code)
	}
	nFeatures := v.phraseFeature() + 1
	oof := make([]float64, len(exs))
	for f := range slices.Max(fold) + 1 {
		var tx [][]int
		var ty []bool
		for k := range exs {
			if fold[k] != f {
				tx, ty = append(tx, xs[k]), append(ty, ys[k])
			}
		}
		m := s.train(tx, ty, nFeatures)
		for k := range exs {
			if fold[k] == f {
				oof[k] = m.scoreViews(views[k], s.clauseOf(th.Code))
			}
		}
	}
	m := s.train(xs, ys, nFeatures)
	m.threshold = bestThreshold(oof, ys, s.balance, s.tilt[th.Code])
	return m
}

// learned is the vocabulary and the models of a taxonomy's themes.
type learned struct {
	vocab  *vocabulary
	models map[string]*model
	// order is the codes of the themes with a model, in the taxonomy's
	// order.
	order []string
}

// learn trains a model for each theme of t with enough labelled comments in
// exs. The vocabulary is built from all of exs: the grams of a held-out
// fold only name features, they give them no weight.
func (s settings) learn(t *Taxonomy, exs []example) *learned {
	comments := make([]string, len(exs))
	clauses := make([][]string, len(exs))
	for k, e := range exs {
		comments[k] = e.comment
		clauses[k] = splitClauses(e.comment)
	}
	vocab := buildVocabulary(s, comments)
	vocab.themes = t.Themes
	l := &learned{vocab: vocab, models: map[string]*model{}}
	fold := foldsOf(exs)
	ids := make([][][]int, len(exs))
	denied := make([][]bool, len(exs))
	for k := range exs {
		ids[k] = l.vocab.clauseIDs(clauses[k])
		denied[k] = l.vocab.deniedEach(clauses[k])
	}
	for i := range t.Themes {
		th := &t.Themes[i]
		n := 0
		for _, e := range exs {
			if slices.Contains(e.themes, th.Code) {
				n++
			}
		}
		if n < minPositives {
			continue
		}
		l.models[th.Code] = s.trainTheme(th, l.vocab, clauses, ids, denied, exs, fold)
		l.order = append(l.order, th.Code)
	}
	return l
}

// clauseOf is the clause setting for the theme of this code.
func (s settings) clauseOf(code string) float64 {
	if c, ok := s.clauseFor[code]; ok {
		return c
	}
	return s.clause
}

// judgement is what the models say of a comment for one theme.
type judgement struct {
	score float64 // the model's score
	over  bool    // the theme is given
}

// judge is the judgement of every theme with a model on a comment of these
// clauses.
func (t *Taxonomy) judge(clauses []string) map[string]judgement {
	l := t.models()
	v := l.vocab
	ids, denied := v.clauseIDs(clauses), v.deniedEach(clauses) // once for every theme
	out := make(map[string]judgement, len(l.order))
	for _, code := range l.order {
		th, _ := t.Theme(code)
		m := l.models[code]
		s := m.scoreViews(v.views(&th, clauses, ids, denied), v.s.clauseOf(code))
		out[code] = judgement{score: s, over: s >= m.threshold}
	}
	return out
}

// Train trains t's models now, if they are not yet, rather than at
// their first use (the shipped taxonomy's are read from model.bin in
// milliseconds unless its data changed). Training takes seconds of CPU and
// its working data some 15 MB of live heap at its peak (measured with the
// ten sets): a server trains before it says ready, not under the load that
// brings its first bad review, where the collector's headroom doubled that
// beside the load's own heap.
func (t *Taxonomy) Train() { t.models() }

// Trained reports whether t's models are trained.
func (t *Taxonomy) Trained() bool { return t.trained.Load() }

// models is t's vocabulary and models, trained on first use, or, for the
// shipped taxonomy, read from model.bin when it was trained from the data
// this build holds (shipped.go).
func (t *Taxonomy) models() *learned {
	t.learnOnce.Do(func() {
		if t.shipped {
			if l, err := decodeLearned(shippedModel, shippedKey(), t, chosen); err == nil {
				t.learned = l
				t.trained.Store(true)
				return
			}
		}
		t.learned = chosen.learn(t, trainingSet())
		t.trained.Store(true)
	})
	return t.learned
}

// labelledSets are the labelled sets in the order they were written.
var labelledSets = []string{firstLabelled, secondLabelled, thirdLabelled, fourthLabelled, fifthLabelled, sixthLabelled, seventhLabelled, eighthLabelled, ninthLabelled, tenthLabelled}

// trainingSet is every labelled comment the package ships, all splits of
// all ten sets, read when first needed: a process that reads model.bin
// never is.
var trainingSet = sync.OnceValue(func() []example { return readExamples(labelledSets...) })

// Reason is why a review was given a theme: its tag, the phrase that found
// it, or the grams of the comment that weighed most for it in the theme's
// model.
type Reason struct {
	Theme  string
	Tag    string   // the tag that names the theme, if it does
	Phrase bool     // the theme's phrases found it
	Grams  []string // the grams present that weighed most for the theme, most first, as they read in the comment
	Score  float64  // the model's score, 0 without a model
}

// Explain returns, for each theme Match gives this comment and these tags,
// why, in the taxonomy's order.
func (t *Taxonomy) Explain(comment string, tags []string) []Reason {
	clauses := splitClauses(comment)
	j := t.judge(clauses)
	var out []Reason
	for i := range t.Themes {
		th := &t.Themes[i]
		r := Reason{Theme: th.Code}
		if th.Tag != "" && slices.Contains(tags, th.Tag) {
			r.Tag = th.Tag
		}
		if !t.gives(th, clauses, tags, j) {
			continue
		}
		r.Phrase = th.matches(th.counted(clauses))
		x, ok := j[th.Code]
		r.Score = x.score
		if ok && x.over {
			r.Grams = t.topGrams(th, clauses, 5)
		}
		out = append(out, r)
	}
	return out
}

// topGrams is the at most n grams and concepts of clauses, with positive
// weight in th's model, that weigh most, each as it reads in the comment (a
// concept by the words of it found there).
func (t *Taxonomy) topGrams(th *Theme, clauses []string, n int) []string {
	m := t.models().models[th.Code]
	v := t.models().vocab
	var idx []int
	for _, i := range v.features(th, clauses) {
		if i < v.phraseFeature() && m.w[i] > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if m.w[a] != m.w[b] {
			if m.w[a] > m.w[b] {
				return -1
			}
			return 1
		}
		return a - b
	})
	if len(idx) > n {
		idx = idx[:n]
	}
	var out []string
	for _, i := range idx {
		g := ""
		if i < len(v.grams) {
			g = v.grams[i]
		} else {
			g = v.concepts[i-len(v.grams)].found(clauses)
		}
		// A quotation mark is kept as quoteMark in the grams; a reader
		// is shown the mark.
		if g = strings.ReplaceAll(g, string(quoteMark), "“"); g != "" && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// found is the words of c found in one of clauses ("头也不抬"), those of
// its first phrase found, joined by "…"; "" if none.
func (c concept) found(clauses []string) string {
	for _, cl := range clauses {
		for _, p := range c.phrases {
			if !anyPhrase([][]term{p}, cl) {
				continue
			}
			var words []string
			for _, tm := range p {
				if tm.not {
					continue
				}
				for _, x := range tm.texts {
					if strings.Contains(cl, x) {
						words = append(words, x)
						break
					}
				}
			}
			return strings.Join(words, "…")
		}
	}
	return ""
}
