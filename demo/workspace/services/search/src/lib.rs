pub fn score(query: &str, text: &str) -> usize {
    // TODO: use a real ranking function
    text.matches(query).count()
}

pub fn normalize(s: &str) -> String {
    s.trim().to_lowercase()
}
