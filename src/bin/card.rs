//! Entry point of the card page (`card.html`): a readable message instead of a dead page on
//! panic, then mount the card.

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        listening_post::components::crash::show(&info.to_string());
    }));
    leptos::mount::mount_to_body(listening_post::card_page::CardPage);
}
