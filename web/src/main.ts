// Boot: read the runtime config once, then mount the app with its router.
import { createApp } from 'vue';
import App from './App.vue';
import { loadConfig } from './config';
import { router } from './router';
import './styles/base.css';

await loadConfig();
createApp(App).use(router).mount('#app');
