// A 403's sentence (and a chat refusal) names what was refused in words, the role that may do it and who can give it.

import { expect } from 'chai';
import { refusalOf, type ProjectAction } from '../../core/domain/policies.js';

const ACTIONS: ProjectAction[] = [
  'project.read', 'project.update', 'project.delete', 'project.export', 'member.list', 'member.manage', 'task.read',
  'task.write', 'room.list', 'room.create', 'feed.read', 'embed.manage', 'link.manage', 'plugin.manage',
];

describe('Refusals of project actions', () => {
  it('name the action in words, the least role that may do it, and who can give that role', () => {
    expect(refusalOf('task.write', 'viewer')).to.equal('Your role (viewer) does not allow adding or changing tasks; that takes the member role or above, which a project admin can give you.');
    expect(refusalOf('project.delete', 'admin')).to.equal('Your role (admin) does not allow deleting the project; that takes the owner role, which an owner can give you.');
    expect(refusalOf('link.manage', 'member')).to.equal('Your role (member) does not allow linking chat channels; that takes the admin role or above, which a project admin can give you.');
  });

  it('never show an action\'s internal name', () => {
    for (const action of ACTIONS) {
      const sentence = refusalOf(action, null);
      expect(sentence, action).to.not.include(action).and.not.include(action.replace('.', ' '));
      expect(sentence, action).to.match(/^Your role \(none\) does not allow [a-z' ]+; that takes the (viewer|member|admin|owner) role( or above)?, which (a project admin|an owner) can give you\.$/);
    }
  });
});
