// Slack's and Discord's look, approximated with system fonts only (no web fonts: the page fetches nothing).
export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;background:#eef0f3;font:15px/1.46 -apple-system,"Segoe UI","Helvetica Neue",Arial,"Noto Sans","Noto Color Emoji",sans-serif;color:#1d1c1d}
a{color:#1264a3;text-decoration:none}
.page-head{padding:16px 24px;background:#fff;border-bottom:1px solid #ddd}
.page-head h1{margin:0 0 4px;font-size:20px}.page-head p{margin:0 0 6px;color:#555}.page-head nav{font-size:13px}
.case{margin:16px 12px;padding:12px;background:#fff;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.case h2{margin:0 0 4px;font-size:17px}.case h2 small{font-weight:400;color:#616061;font-size:13px;margin-left:8px}
.meta{margin:0 0 8px;padding-left:18px;font-size:12px;color:#555}
.cols{display:grid;grid-template-columns:640px 1fr;gap:12px;align-items:start}
.answer{position:relative;border-radius:6px;padding:8px 0;min-height:40px}
.fold{position:absolute;left:0;right:0;border-top:2px dashed #e01e5a;z-index:2;pointer-events:none}
.answer.buried{outline:3px solid #e01e5a}
.fold span{position:absolute;right:6px;top:-18px;font-size:11px;color:#e01e5a;background:rgba(255,255,255,.85);padding:0 4px}
/* Slack */
.answer.slack{background:#fff;border:1px solid #e2e2e2}
.s-msg{display:grid;grid-template-columns:36px 1fr;gap:8px;padding:6px 16px}
.s-thread{margin-left:28px;border-left:3px solid #e8e8e8}
.s-thread-label{grid-column:1/3;font-size:12px;color:#616061}
.s-avatar{width:36px;height:36px;border-radius:6px;background:#4a154b;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center;font-size:13px}
.s-main{min-width:0}
.s-name{font-weight:900;font-size:15px}.s-app{font-size:10px;font-weight:700;background:#e8e8e8;color:#616061;padding:1px 3px;border-radius:2px;vertical-align:middle}
.s-time{font-weight:400;font-size:12px;color:#616061}
.s-ephemeral{font-size:12px;color:#616061;margin-bottom:2px}
.s-header{font-size:18px;font-weight:900;line-height:1.33;margin:4px 0}
.s-section{display:flex;gap:8px;margin:6px 0}.s-section-body{flex:1;min-width:0}
.s-text{white-space:normal;word-wrap:break-word}
.s-fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin-top:4px}
.s-context{font-size:12px;color:#616061;margin:6px 0;display:flex;flex-wrap:wrap;gap:8px}
.s-actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.s-btn{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;font-size:13px;font-weight:700;background:#fff;white-space:nowrap}
.s-primary{background:#007a5a;border-color:#007a5a;color:#fff}.s-danger{color:#e01e5a;border-color:#e01e5a}
.s-divider{border:0;border-top:1px solid #ddd;margin:10px 0}
.s-file{margin:6px 0}.s-file figcaption{font-size:12px;color:#616061}.s-file img{max-width:360px;max-height:360px;border:1px solid #ddd;border-radius:6px}
.s-image-ph,.d-image-ph{font-size:12px;color:#616061;border:1px dashed #bbb;padding:8px}
.s-unknown{color:#fff;background:#e01e5a;padding:2px 6px}
.answer.slack code{font:12px Menlo,Consolas,"DejaVu Sans Mono",monospace;color:#e01e5a;background:#f6f6f6;border:1px solid #e1e1e1;border-radius:3px;padding:0 2px}
.answer pre.code-block{font:12px Menlo,Consolas,"DejaVu Sans Mono",monospace;background:#f8f8f8;border:1px solid #e1e1e1;border-radius:4px;padding:6px;white-space:pre-wrap;margin:4px 0}
.quote{display:inline-block;border-left:4px solid #ddd;padding-left:8px}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
/* Discord */
.answer.discord{background:#313338;color:#dbdee1;font-size:15px;padding:8px 0}
.answer.discord a{color:#00a8fc}
.d-msg{display:grid;grid-template-columns:40px 1fr;gap:12px;padding:4px 16px}
.d-replying{grid-column:1/3;font-size:12px;color:#b5bac1}
.d-avatar{width:40px;height:40px;border-radius:50%;background:#5865f2;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center;font-size:13px}
.d-main{min-width:0}
.d-name{font-weight:600;color:#f2f3f5}.d-bot{font-size:10px;background:#5865f2;color:#fff;border-radius:3px;padding:1px 4px;vertical-align:middle}
.d-time{font-weight:400;font-size:12px;color:#949ba4}
.d-content{margin:2px 0}
.d-embed{max-width:520px;background:#2b2d31;border-left:4px solid #1e1f22;border-radius:4px;padding:8px 16px 12px 12px;margin:4px 0;display:grid}
.d-author{font-size:14px;font-weight:600;color:#f2f3f5}
.d-title{font-weight:600;color:#f2f3f5;margin-top:4px}
.d-description{font-size:14px;margin-top:6px}
.d-fields{display:flex;flex-wrap:wrap;gap:8px 12px;margin-top:8px}
.d-field{flex:1 1 100%;font-size:14px;min-width:0}.d-field.d-inline{flex:1 1 28%}
.d-field-name{font-weight:600;color:#f2f3f5;margin-bottom:2px}
.d-footer{font-size:12px;color:#b5bac1;margin-top:8px}
.d-image{max-width:100%;border-radius:4px;margin-top:12px}
.d-attachment img{max-width:400px;max-height:300px;border-radius:8px}
.d-attachment{margin:6px 0}
.d-row{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.d-btn{display:inline-block;border-radius:3px;padding:2px 16px;font-size:14px;font-weight:500;line-height:28px;color:#fff;white-space:nowrap}
.d-primary{background:#5865f2}.d-secondary{background:#4e5058}.d-success{background:#248046}.d-danger{background:#da373c}.d-link{background:#4e5058}
.d-ephemeral{font-size:12px;color:#949ba4;margin-top:4px}
.answer.discord code{font:12px Menlo,Consolas,"DejaVu Sans Mono",monospace;background:#1e1f22;border-radius:3px;padding:0 2px}
.answer.discord pre.code-block{background:#1e1f22;border-color:#1e1f22;color:#dbdee1}
.h1{font-size:20px;font-weight:700}.h2{font-size:18px;font-weight:700}.h3{font-size:16px;font-weight:700}
`;
