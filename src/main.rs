//! Entry point: a readable message instead of a dead page on panic, then start the app.

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        listening_post::components::crash::show(&info.to_string());
    }));
    listening_post::app::start();
}
