//! The front-end files, embedded in the binary so that the dashboard works offline.
//!
//! Paths are relative to `crates/dashboard/assets/` (`index.html`, `app.js`,
//! `vendor/leaflet/leaflet.js`, ...). The page refers to them as `/assets/PATH` (and to
//! `index.html` as `/`); [`crate::report`] inlines the same files.

/// One embedded file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Asset {
    /// The file's bytes.
    pub bytes: &'static [u8],
    /// Its MIME type, for a `Content-Type` header.
    pub content_type: &'static str,
}

macro_rules! assets {
    ($($path:literal => $ty:literal,)*) => {
        /// Every embedded file: (path, bytes, content type).
        const ASSETS: &[(&str, &[u8], &str)] = &[
            $(($path, include_bytes!(concat!("../assets/", $path)), $ty),)*
        ];
    };
}

assets! {
    "index.html" => "text/html; charset=utf-8",
    "app.css" => "text/css; charset=utf-8",
    "app.js" => "text/javascript; charset=utf-8",
    "borders.geojson" => "application/geo+json",
    "vendor/leaflet/leaflet.js" => "text/javascript; charset=utf-8",
    "vendor/leaflet/leaflet.css" => "text/css; charset=utf-8",
    "vendor/uplot/uPlot.iife.min.js" => "text/javascript; charset=utf-8",
    "vendor/uplot/uPlot.min.css" => "text/css; charset=utf-8",
    "vendor/frappe-gantt/frappe-gantt.umd.js" => "text/javascript; charset=utf-8",
    "vendor/frappe-gantt/frappe-gantt.css" => "text/css; charset=utf-8",
}

/// The embedded file at `path` (a leading `/` is ignored), if there is one.
pub fn get(path: &str) -> Option<Asset> {
    let path = path.strip_prefix('/').unwrap_or(path);
    ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|&(_, bytes, content_type)| Asset {
            bytes,
            content_type,
        })
}

/// The paths of every embedded file.
pub fn paths() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|&(p, _, _)| p)
}

/// The text of an embedded file that is known to exist and to be UTF-8.
pub(crate) fn text(path: &str) -> &'static str {
    let a = get(path).unwrap_or_else(|| panic!("asset {path} is embedded"));
    std::str::from_utf8(a.bytes).unwrap_or_else(|_| panic!("asset {path} is UTF-8"))
}
