//! A plotters backend on a `<canvas>` 2D context that sends the context as little as it
//! can for the same picture: a fill or stroke colour, line width, font, text alignment or
//! baseline is set only when it differs from the one last set (each set crosses from
//! WebAssembly to JavaScript and the browser parses the string again), and consecutive
//! axis-parallel segments of one style (grid lines, tick marks, horizontal dashes) go into
//! one path, stroked once, as long as no two of them come near enough to share a pixel, so
//! every pixel comes out as when each is drawn alone.
//!
//! Drawing calls mirror `plotters-canvas` 0.3 (the same coordinates, half-pixel shifts of
//! axis-parallel lines, `rgba()` colours and font strings), so charts look exactly as before.

use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A drawing failure of the canvas context (the exception's text).
#[derive(Debug)]
pub struct CanvasError(String);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Canvas Error: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

fn error_cast(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(
        js_sys::JSON::stringify(&e)
            .map(String::from)
            .unwrap_or_else(|_| "Unknown".into()),
    ))
}

/// A colour as a comparable key: (r, g, b, alpha's bits).
type ColorKey = (u8, u8, u8, u64);

fn key(c: BackendColor) -> ColorKey {
    (c.rgb.0, c.rgb.1, c.rgb.2, c.alpha.to_bits())
}

/// What an axis-parallel segment may touch: its box grown by half the line width and a
/// pixel, in canvas pixels (left, top, right, bottom).
#[derive(Clone, Copy)]
struct Reach(f64, f64, f64, f64);

impl Reach {
    /// The box of the segment `a`–`b` stroked `width` wide.
    fn of(a: (f64, f64), b: (f64, f64), width: u32) -> Self {
        let g = width as f64 / 2.0 + 1.0;
        Reach(
            a.0.min(b.0) - g,
            a.1.min(b.1) - g,
            a.0.max(b.0) + g,
            a.1.max(b.1) + g,
        )
    }

    /// Whether no pixel can be touched by both (boxes apart, or only touching).
    fn apart(&self, o: &Reach) -> bool {
        self.2 <= o.0 || o.2 <= self.0 || self.3 <= o.1 || o.3 <= self.1
    }
}

/// At most this many pieces share one path (each new one is checked against all).
const MAX_BATCH: usize = 256;

/// The path being collected: what it will be painted with, and what it holds so far.
enum Pending {
    None,
    /// Segments to stroke in colour and width.
    Stroke(ColorKey, u32, Vec<Reach>),
}

/// Adds `c` to `pieces` if it keeps apart from all of them (and the batch has room).
fn join(pieces: &mut Vec<Reach>, c: Reach) -> bool {
    if pieces.len() < MAX_BATCH && pieces.iter().all(|o| o.apart(&c)) {
        pieces.push(c);
        true
    } else {
        false
    }
}

/// The plotters backend over one canvas (see the module doc).
pub struct Canvas2d {
    ctx: CanvasRenderingContext2d,
    size: (u32, u32),
    fill: Option<ColorKey>,
    stroke: Option<ColorKey>,
    line_width: Option<u32>,
    font: String,
    align: &'static str,
    baseline: &'static str,
    pending: Pending,
}

impl Canvas2d {
    /// The backend over `canvas` at its current size; `None` without a 2D context. The
    /// context's state is taken as unknown: the first use of each setting sets it.
    pub fn new(canvas: &HtmlCanvasElement) -> Option<Self> {
        let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Canvas2d {
            ctx,
            size: (canvas.width(), canvas.height()),
            fill: None,
            stroke: None,
            line_width: None,
            font: String::new(),
            align: "",
            baseline: "",
            pending: Pending::None,
        })
    }

    fn set_fill(&mut self, c: BackendColor) {
        if self.fill != Some(key(c)) {
            self.fill = Some(key(c));
            self.ctx.set_fill_style_str(&css_color(c));
        }
    }

    fn set_stroke(&mut self, style: &impl BackendStyle) {
        let c = style.color();
        if self.stroke != Some(key(c)) {
            self.stroke = Some(key(c));
            self.ctx.set_stroke_style_str(&css_color(c));
        }
        let w = style.stroke_width();
        if self.line_width != Some(w) {
            self.line_width = Some(w);
            self.ctx.set_line_width(w as f64);
        }
    }

    /// Paints the collected path, if any.
    fn flush(&mut self) {
        match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::None => {}
            Pending::Stroke(..) => self.ctx.stroke(),
        }
    }

    /// Readies the path for the segment `a`–`b` in `style`: it joins the path being
    /// collected if that has the same style and no segment near it, else the collected
    /// path is painted and a new one begun in this style. The caller then adds the segment.
    fn join_stroke(&mut self, style: &impl BackendStyle, a: (f64, f64), b: (f64, f64)) {
        let (c, w) = (key(style.color()), style.stroke_width());
        let piece = Reach::of(a, b, w);
        // Only axis-parallel segments share a path: Chrome's raster anti-aliases a slanted
        // segment alone (a convex path) a level or so differently from the same segment
        // within a path of several.
        let parallel = a.0 == b.0 || a.1 == b.1;
        if let Pending::Stroke(pc, pw, pieces) = &mut self.pending {
            if parallel && *pc == c && *pw == w && join(pieces, piece) {
                return;
            }
        }
        self.flush();
        self.set_stroke(style);
        self.ctx.begin_path();
        self.pending = Pending::Stroke(c, w, vec![piece]);
    }
}

impl Drop for Canvas2d {
    fn drop(&mut self) {
        self.flush();
    }
}

/// The colour as plotters-canvas writes it.
fn css_color(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    format!("rgba({},{},{},{})", r, g, b, c.alpha)
}

/// Moves an axis-parallel line onto half pixels, as plotters-canvas does (sharp 1 px lines).
fn fine_hor_ver_lines(from: BackendCoord, end: BackendCoord) -> ((f64, f64), (f64, f64)) {
    let mut from = (from.0 as f64, from.1 as f64);
    let mut end = (end.0 as f64, end.1 as f64);
    if from.0 == end.0 {
        from.0 -= 0.5;
        end.0 -= 0.5;
    }
    if from.1 == end.1 {
        from.1 -= 0.5;
        end.1 -= 0.5;
    }
    (from, end)
}

impl DrawingBackend for Canvas2d {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.flush();
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.flush();
        self.set_fill(color);
        self.ctx
            .fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (from, to) = fine_hor_ver_lines(from, to);
        self.join_stroke(style, from, to);
        self.ctx.move_to(from.0, from.1);
        self.ctx.line_to(to.0, to.1);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.flush();
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (
            f64::from(bottom_right.0 - upper_left.0),
            f64::from(bottom_right.1 - upper_left.1),
        );
        if fill {
            self.set_fill(style.color());
            self.ctx.fill_rect(x, y, w, h);
        } else {
            self.set_stroke(style);
            self.ctx.stroke_rect(x, y, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let pts: Vec<(f64, f64)> = path
            .into_iter()
            .map(|(x, y)| (f64::from(x), f64::from(y)))
            .collect();
        match pts[..] {
            [] => {
                // plotters-canvas strokes an empty path: nothing shows, nothing to send.
            }
            [a, b] => {
                // A lone segment (tick marks, axis lines): joins the pending path.
                self.join_stroke(style, a, b);
                self.ctx.move_to(a.0, a.1);
                self.ctx.line_to(b.0, b.1);
            }
            _ => {
                // A polyline (its joins may reach far past its points): stroked alone.
                self.flush();
                self.set_stroke(style);
                self.ctx.begin_path();
                self.ctx.move_to(pts[0].0, pts[0].1);
                for p in &pts[1..] {
                    self.ctx.line_to(p.0, p.1);
                }
                self.ctx.stroke();
            }
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.flush();
        let mut path = path.into_iter();
        if let Some(start) = path.next() {
            self.set_fill(style.color());
            self.ctx.begin_path();
            self.ctx.move_to(f64::from(start.0), f64::from(start.1));
            for next in path {
                self.ctx.line_to(f64::from(next.0), f64::from(next.1));
            }
            self.ctx.close_path();
            self.ctx.fill();
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let c = style.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        let (cx, cy, r) = (f64::from(center.0), f64::from(center.1), f64::from(radius));
        self.flush();
        if fill {
            // Each dot alone: several in one path anti-alias differently.
            self.set_fill(c);
            self.ctx.begin_path();
            self.ctx
                .arc(cx, cy, r, 0.0, std::f64::consts::PI * 2.0)
                .map_err(error_cast)?;
            self.ctx.fill();
        } else {
            self.set_stroke(style);
            self.ctx.begin_path();
            self.ctx
                .arc(cx, cy, r, 0.0, std::f64::consts::PI * 2.0)
                .map_err(error_cast)?;
            self.ctx.stroke();
        }
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.flush();
        // Every setting before `save`, so that `restore` returns to the state recorded here.
        let baseline = match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        if self.baseline != baseline {
            self.baseline = baseline;
            self.ctx.set_text_baseline(baseline);
        }
        let align = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        if self.align != align {
            self.align = align;
            self.ctx.set_text_align(align);
        }
        self.set_fill(color);
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        );
        if self.font != font {
            self.ctx.set_font(&font);
            self.font = font;
        }
        let degree = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        } / 180.0
            * std::f64::consts::PI;
        let (x, y) = (f64::from(pos.0), f64::from(pos.1));
        if degree != 0.0 {
            self.ctx.save();
            self.ctx.translate(x, y).map_err(error_cast)?;
            self.ctx.rotate(degree).map_err(error_cast)?;
            let drawn = self.ctx.fill_text(text, 0.0, 0.0).map_err(error_cast);
            self.ctx.restore();
            drawn
        } else {
            self.ctx.fill_text(text, x, y).map_err(error_cast)
        }
    }
}
