package recommend

import (
	"math"
	"sort"
)

// term is one word's weight in a vector.
type term struct {
	word string
	w    float64
}

// vector is a sparse word vector, sorted by word, so sums and dot products are computed in the
// same order every time and two identical databases give bit-identical scores.
type vector []term

func fromCounts(counts map[string]float64) vector {
	v := make(vector, 0, len(counts))
	for w, c := range counts {
		v = append(v, term{w, c})
	}
	sort.Slice(v, func(i, j int) bool { return v[i].word < v[j].word })
	return v
}

func (v vector) scale(f float64) vector {
	out := make(vector, len(v))
	for i, t := range v {
		out[i] = term{t.word, t.w * f}
	}
	return out
}

func (v vector) unit() vector {
	var n float64
	for _, t := range v {
		n += t.w * t.w
	}
	if n == 0 {
		return v
	}
	return v.scale(1 / math.Sqrt(n))
}

func dot(a, b vector) float64 {
	var s float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].word == b[j].word:
			s += a[i].w * b[j].w
			i++
			j++
		case a[i].word < b[j].word:
			i++
		default:
			j++
		}
	}
	return s
}

// dotMap is the dot product of v with a vector held as a map, summed in v's order.
func (v vector) dotMap(m map[string]float64) float64 {
	var s float64
	for _, t := range v {
		s += t.w * m[t.word]
	}
	return s
}

// asMap returns the vector as a map, for many dot products against it.
func (v vector) asMap() map[string]float64 {
	m := make(map[string]float64, len(v))
	for _, t := range v {
		m[t.word] = t.w
	}
	return m
}

// sum adds vectors, in their order.
func sum(vs []vector) vector {
	acc := map[string]float64{}
	for _, v := range vs {
		for _, t := range v {
			acc[t.word] += t.w
		}
	}
	return fromCounts(acc)
}

// corpus counts in how many documents each word appears, for TF-IDF.
type corpus struct {
	n  int
	df map[string]int
}

// add counts a document and returns its term counts as a vector.
func (c *corpus) add(counts map[string]float64) vector {
	if c.df == nil {
		c.df = map[string]int{}
	}
	c.n++
	for w := range counts {
		c.df[w]++
	}
	return fromCounts(counts)
}

// weigh turns term counts into TF-IDF weights (sublinear term frequency, smoothed IDF) over
// the candidates.
// Words no candidate has are left out: they could match nothing, only dilute.
func (c *corpus) weigh(v vector) vector {
	out := make(vector, 0, len(v))
	for _, t := range v {
		df := c.df[t.word]
		if df == 0 {
			continue
		}
		idf := math.Log(1 + float64(c.n)/float64(df))
		out = append(out, term{t.word, (1 + math.Log(t.w)) * idf})
	}
	return out
}
