/**
 * The Electron preload (sandboxed: it may only require 'electron').
 * Exposes `window.voucherdesk` = { call, on } for the contract's names; never
 * ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('voucherdesk', createBridge(ipcRenderer));
