package main

type Stock struct {
	Items map[string]int
}

func (s *Stock) Take(id string, n int) bool {
	if s.Items[id] < n {
		return false
	}
	s.Items[id] -= n
	return true
}
