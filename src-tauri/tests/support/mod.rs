//! The mock-runtime app and an IPC call that returns exactly the JSON the UI receives,
//! shared by the shell's integration tests. Each test binary uses a different part of it,
//! hence `allow(dead_code)`.

#![allow(dead_code)]

use ketachart_app::state::AppState;
use serde_json::Value;
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::WebviewWindow;

/// The app with every command registered, over `state`.
pub fn app_with(state: AppState) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let builder = ketachart_app::specta_builder_for::<MockRuntime>();
    let app = mock_builder()
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .build(mock_context(noop_assets()))
        .expect("mock app");
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    (app, w)
}

pub fn app(dir: &std::path::Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_with(AppState::new(dir.to_path_buf()))
}

pub fn call(w: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        w,
        tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("a url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().expect("JSON"))
}
